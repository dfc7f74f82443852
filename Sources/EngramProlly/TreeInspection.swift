import EngramIPLD

/// The text behind `engram tree stats|ls|diff|build`, kept here so it is tested without a shell.
///
/// Keys and inline values print as lowercase hex, links as CID text, null as `null`. JSON output
/// is one object per line: `{"key":"<hex>","value":"<hex>"|null|{"/":"<cid>"}}`.
public enum TreeInspection {
    /// A value as text: hex bytes, a CID, or `null`.
    public static func text(_ value: ProllyValue) -> String {
        switch value {
        case .null: "null"
        case .bytes(let b): Hex.encode(b)
        case .link(let c): c.description
        }
    }

    /// A value as JSON: a hex string, `{"/": cid}` or `null`.
    public static func json(_ value: ProllyValue) -> String {
        switch value {
        case .null: "null"
        case .bytes(let b): "\"\(Hex.encode(b))\""
        case .link(let c): "{\"/\":\"\(c)\"}"
        }
    }

    /// `engram tree stats`: height, node and entry counts, sizes per level and a size histogram.
    public static func statsReport(_ tree: ProllyTree) throws(ProllyError) -> String {
        let stats = try tree.stats()
        var lines = [
            "root \(tree.root)",
            "height \(stats.height)",
            "entries \(stats.entryCount)",
            "nodes \(stats.nodeCount)",
            "bytes \(stats.totalBytes)",
        ]
        for level in stats.levels.reversed() {
            let mean = level.nodes == 0 ? 0 : level.bytes / level.nodes
            lines.append("level \(level.level): \(level.nodes) nodes, \(level.entries) entries, node bytes min \(level.nodes == 0 ? 0 : level.minBytes) mean \(mean) max \(level.maxBytes)")
        }
        lines.append("node size histogram (KiB: nodes):")
        for (i, n) in stats.sizeHistogram.enumerated() where n > 0 {
            lines.append("  \(i)-\(i + 1): \(n)")
        }
        return lines.joined(separator: "\n")
    }

    /// `engram tree ls`: one line per entry (with `prefix`), calling `emit` for each, lazily.
    public static func list(_ tree: ProllyTree, prefix: [UInt8] = [], json: Bool, emit: (String) throws -> Void) throws {
        var iterator = try tree.entries(withPrefix: prefix)
        while let entry = try iterator.next() {
            try emit(json
                ? "{\"key\":\"\(Hex.encode(entry.key))\",\"value\":\(Self.json(entry.value))}"
                : "\(Hex.encode(entry.key))\t\(text(entry.value))")
        }
    }

    /// `engram tree diff`: `+ key value`, `- key value`, `~ key old new` lines (or JSON objects
    /// with `op` "add", "remove" or "change").
    public static func diff(_ a: ProllyTree, _ b: ProllyTree, json: Bool, emit: (String) throws -> Void) throws {
        var iterator = try a.diff(to: b)
        while let d = try iterator.next() {
            let key = Hex.encode(d.key)
            switch d.change {
            case .added(let v):
                try emit(json ? "{\"op\":\"add\",\"key\":\"\(key)\",\"value\":\(Self.json(v))}" : "+ \(key) \(text(v))")
            case .removed(let v):
                try emit(json ? "{\"op\":\"remove\",\"key\":\"\(key)\",\"value\":\(Self.json(v))}" : "- \(key) \(text(v))")
            case .changed(let o, let n):
                try emit(json ? "{\"op\":\"change\",\"key\":\"\(key)\",\"old\":\(Self.json(o)),\"new\":\(Self.json(n))}"
                    : "~ \(key) \(text(o)) \(text(n))")
            }
        }
    }

    /// A line of `engram tree build` input that cannot be read.
    public struct InputError: Error, CustomStringConvertible, Hashable {
        /// The line number, from 1.
        public let line: Int
        /// What is wrong with it.
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Parses `engram tree build` input: JSON lines `{"key": "<hex>", "value": "<hex>"}` (the value
    /// may also be `null`, absent, or a DAG-JSON link `{"/": "<cid>"}`), blank lines skipped.
    public static func parseEntries(_ input: [UInt8]) throws(InputError) -> [ProllyEntry] {
        var entries: [ProllyEntry] = []
        var lineNumber = 0
        for line in input.split(separator: 0x0a, omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { continue }
            let value: IPLD
            do { value = try DAGJSON.decode(Array(line)) } catch {
                throw InputError(line: lineNumber, reason: "\(error)")
            }
            guard case .map(let map) = value else { throw InputError(line: lineNumber, reason: "expected a JSON object") }
            guard let keyText = map["key"]?.stringValue, let key = Hex.decode(keyText) else {
                throw InputError(line: lineNumber, reason: "\"key\" must be a hex string")
            }
            let entryValue: ProllyValue
            switch map["value"] {
            case nil, .null?: entryValue = .null
            case .string(let s)?:
                guard let bytes = Hex.decode(s) else { throw InputError(line: lineNumber, reason: "\"value\" is not hex") }
                entryValue = .bytes(bytes)
            case .link(let c)?: entryValue = .link(c)
            default: throw InputError(line: lineNumber, reason: "\"value\" must be a hex string, null or a link")
            }
            do {
                guard key.count <= ProllyLimits.maxKeyLength else { throw ProllyError.keyTooLong(key: key, length: key.count) }
                try entryValue.checkLimits(key: key)
            } catch {
                throw InputError(line: lineNumber, reason: "\(error)")
            }
            entries.append(ProllyEntry(key: key, value: entryValue))
        }
        return entries
    }
}
