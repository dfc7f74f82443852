import Engram
import EngramIPLD
import MCP

/// A tool call's arguments, read by name with checks that name the argument at fault.
struct ToolArguments {
    let tool: String
    let values: [String: Value]
    /// Where these arguments sit within the call (`nodes[2]`), or empty for the call's own.
    let path: String

    /// The arguments of a call to `tool`, which accepts the names in `allowed`: an unknown name
    /// is refused (a misspelt optional argument would otherwise be silently ignored).
    init(tool: String, _ values: [String: Value]?, allowed: Set<String>, path: String = "") throws(ToolError) {
        self.tool = tool
        self.values = values ?? [:]
        self.path = path
        let unknown = self.values.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw ToolError("\(path.isEmpty ? tool : path): unknown argument(s) \(unknown.joined(separator: ", ")); accepted: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// An argument's name as messages show it: with its path within the call.
    func qualified(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func has(_ name: String) -> Bool {
        if case .null? = values[name] { return false }
        return values[name] != nil
    }

    func string(_ name: String) throws(ToolError) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let v?:
            if case .data = v, case .string(let s) = try JSONValues.ipld(v, at: qualified(name)) { return s }
            throw ToolError("\(qualified(name)) must be a string, got \(JSONValues.kind(v))")
        }
    }

    func requiredString(_ name: String) throws(ToolError) -> String {
        guard let s = try string(name) else { throw ToolError("\(qualified(name)) is required") }
        return s
    }

    func bool(_ name: String, default value: Bool) throws(ToolError) -> Bool {
        switch values[name] {
        case nil, .null?: return value
        case .bool(let b)?: return b
        case let v?: throw ToolError("\(qualified(name)) must be true or false, got \(JSONValues.kind(v))")
        }
    }

    /// An integer in `range` (a JSON number with no fraction is accepted too).
    func int(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(ToolError) -> Int {
        let n: Int
        switch values[name] {
        case nil, .null?: return value
        case .int(let i)?: n = i
        case .double(let d)? where d.rounded() == d:
            guard let i = Int(exactly: d) else { throw ToolError("\(qualified(name)) is out of range \(range)") }
            n = i
        case let v?: throw ToolError("\(qualified(name)) must be an integer, got \(JSONValues.kind(v))")
        }
        guard range.contains(n) else { throw ToolError("\(qualified(name)) must be in \(range.lowerBound)...\(range.upperBound), got \(n)") }
        return n
    }

    func array(_ name: String) throws(ToolError) -> [Value]? {
        switch values[name] {
        case nil, .null?: return nil
        case .array(let a)?: return a
        case let v?: throw ToolError("\(qualified(name)) must be an array, got \(JSONValues.kind(v))")
        }
    }

    func object(_ name: String) throws(ToolError) -> [String: Value]? {
        switch values[name] {
        case nil, .null?: return nil
        case .object(let o)?: return o
        case let v?: throw ToolError("\(qualified(name)) must be an object, got \(JSONValues.kind(v))")
        }
    }

    func properties(_ name: String) throws(ToolError) -> IPLDMap? {
        guard let v = values[name], !v.isNull else { return nil }
        return try JSONValues.map(v, at: qualified(name))
    }

    func value(_ name: String) throws(ToolError) -> IPLD? {
        guard let v = values[name] else { return nil }
        return try JSONValues.ipld(v, at: qualified(name))
    }

    func id(_ name: String) throws(ToolError) -> EntityID {
        try Self.id(try requiredString(name), at: qualified(name))
    }

    static func id(_ text: String, at name: String) throws(ToolError) -> EntityID {
        guard let id = EntityID(text) else { throw ToolError("\(name) '\(text.prefix(80))' is not a node or edge id (a UUID)") }
        return id
    }

    func ids(_ name: String) throws(ToolError) -> [EntityID] {
        guard let list = try array(name) else { throw ToolError("\(qualified(name)) is required") }
        var out: [EntityID] = []
        for (i, v) in list.enumerated() {
            guard case .string(let s) = v else { throw ToolError("\(qualified(name))[\(i)] must be a UUID string, got \(JSONValues.kind(v))") }
            out.append(try Self.id(s, at: "\(qualified(name))[\(i)]"))
        }
        return out
    }

    /// An enumerated string argument.
    func choice<T: RawRepresentable>(_ name: String, default value: T) throws(ToolError) -> T where T.RawValue == String {
        guard let s = try string(name) else { return value }
        guard let v = T(rawValue: s) else { throw ToolError("\(qualified(name)) '\(s.prefix(80))' is not one of the accepted values") }
        return v
    }
}

extension Value {
    var isNull: Bool { if case .null = self { true } else { false } }
}
