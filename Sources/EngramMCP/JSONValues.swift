import Engram
import EngramIPLD
import Foundation
import MCP

/// Conversions between the SDK's JSON ``Value`` and IPLD, with DAG-JSON's conventions: an object
/// `{"/": "<cid>"}` is a link and `{"/": {"bytes": "<base64>"}}` is bytes, as in every JSON the
/// `engram` CLI reads and prints.
enum JSONValues {
    /// The deepest argument value accepted: far below the DAG-CBOR limit (256), so a value an
    /// agent stores is always one the codecs and other clients' JSON libraries read back.
    static let maxDepth = 64

    static func ipld(_ value: Value, at path: String, depth: Int = 0) throws(ToolError) -> IPLD {
        guard depth < maxDepth else { throw ToolError("\(path) nests deeper than \(maxDepth) levels") }
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d):
            guard d.isFinite else { throw ToolError("\(path) is not a finite number") }
            return .float(d)
        case .string(let s): return .string(s)
        case .data:
            // The SDK reads a string that looks like a data: URL as data; give back the string.
            guard let text = try? String(decoding: JSONEncoder().encode(value), as: UTF8.self),
                  let s = try? JSONDecoder().decode(String.self, from: Data(text.utf8)) else {
                throw ToolError("\(path) could not be read as text")
            }
            return .string(s)
        case .array(let items):
            var out: [IPLD] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try ipld(item, at: "\(path)[\(i)]", depth: depth + 1)) }
            return .list(out)
        case .object(let fields):
            if fields.count == 1, fields["/"] != nil { return try special(value, at: path) }
            var map = IPLDMap()
            for key in fields.keys.sorted() {
                guard let item = fields[key] else { continue }
                map[key] = try ipld(item, at: "\(path).\(key)", depth: depth + 1)
            }
            return .map(map)
        }
    }

    /// A DAG-JSON link or bytes object.
    static func special(_ value: Value, at path: String) throws(ToolError) -> IPLD {
        do {
            let bytes = try JSONEncoder().encode(value)
            return try DAGJSON.decode(Array(bytes))
        } catch {
            throw ToolError("\(path) is not a valid DAG-JSON link {\"/\": \"<cid>\"} or bytes {\"/\": {\"bytes\": \"<base64>\"}}: \(error)")
        }
    }

    /// A map argument (properties).
    static func map(_ value: Value, at path: String) throws(ToolError) -> IPLDMap {
        guard case .object = value, case .map(let m) = try ipld(value, at: path) else {
            throw ToolError("\(path) must be a JSON object of properties, got \(kind(value))")
        }
        return m
    }

    /// The JSON kind of a value, for messages.
    static func kind(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string, .data: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as compact DAG-JSON text.
    static func text(_ value: IPLD) -> String { GraphJSON.text(value) }
}
