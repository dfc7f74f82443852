import EngramIPLD

/// One change of a change stream: a JSON object per line (SPEC.md 7.7), as read by
/// `engram apply` and kept in the staged-changes file.
///
/// `{"op":"put-node","id":UUID?,"label":L,"props":{...}?}`, `{"op":"delete-node","id":UUID}`,
/// `{"op":"put-edge","id":UUID?,"src":UUID,"label":L,"dst":UUID,"props":{...}?}`,
/// `{"op":"delete-edge","id":UUID}`. A missing id on a put is a new UUIDv7. Property values are
/// DAG-JSON (so bytes and links are `{"/": ...}`).
public enum ChangeOp: Sendable, Hashable {
    /// Add or replace a node.
    case putNode(Node)
    /// Remove a node.
    case deleteNode(EntityID)
    /// Add or replace an edge.
    case putEdge(Edge)
    /// Remove an edge.
    case deleteEdge(EntityID)

    /// Parses one line (`line` numbers errors).
    public static func parse(_ text: [UInt8], line: Int) throws(GraphError) -> ChangeOp {
        let value: IPLD
        do { value = try DAGJSON.decode(text) } catch { throw .invalidChange(line: line, reason: .cause(error)) }
        return try parse(value, line: line)
    }

    /// Reads a change from its JSON value.
    public static func parse(_ value: IPLD, line: Int) throws(GraphError) -> ChangeOp {
        guard case .map(let m) = value else { throw .invalidChange(line: line, reason: "not an object") }
        func id(_ key: String, required: Bool) throws(GraphError) -> EntityID? {
            guard let v = m[key] else {
                if required { throw .invalidChange(line: line, reason: "missing \"\(key)\"") }
                return nil
            }
            guard let s = v.stringValue, let id = EntityID(s) else { throw .invalidChange(line: line, reason: "\"\(key)\" is not a UUID") }
            return id
        }
        func text(_ key: String) throws(GraphError) -> String {
            guard let s = m[key]?.stringValue else { throw .invalidChange(line: line, reason: "missing text \"\(key)\"") }
            return s
        }
        func props() throws(GraphError) -> IPLDMap {
            guard let v = m["props"] else { return IPLDMap() }
            guard let p = v.mapValue else { throw .invalidChange(line: line, reason: "\"props\" is not an object") }
            return p
        }
        // A misspelt field ("prop") would otherwise be dropped without a word.
        if let op = m["op"]?.stringValue, let allowed = fields[op] {
            for (key, _) in m where !allowed.contains(key) {
                throw .invalidChange(line: line, reason: "unknown field \"\(key)\" (\(op) takes \(allowed.joined(separator: ", ")))")
            }
        }
        switch m["op"]?.stringValue {
        case "put-node": return .putNode(Node(id: try id("id", required: false) ?? .uuidV7(), label: try text("label"), props: try props()))
        case "delete-node": return .deleteNode(try id("id", required: true)!)
        case "put-edge":
            return .putEdge(Edge(id: try id("id", required: false) ?? .uuidV7(), src: try id("src", required: true)!,
                                 label: try text("label"), dst: try id("dst", required: true)!, props: try props()))
        case "delete-edge": return .deleteEdge(try id("id", required: true)!)
        case let op?: throw .invalidChange(line: line, reason: "unknown op \"\(op)\"")
        case nil: throw .invalidChange(line: line, reason: "missing \"op\"")
        }
    }

    /// The fields each op takes.
    static let fields: [String: [String]] = [
        "put-node": ["op", "id", "label", "props"], "delete-node": ["op", "id"],
        "put-edge": ["op", "id", "src", "label", "dst", "props"], "delete-edge": ["op", "id"],
    ]

    /// The change as a JSON value.
    public var value: IPLD {
        switch self {
        case .putNode(let n): ["op": "put-node", "id": .string(n.id.description), "label": .string(n.label), "props": .map(n.props)]
        case .deleteNode(let id): ["op": "delete-node", "id": .string(id.description)]
        case .putEdge(let e):
            ["op": "put-edge", "id": .string(e.id.description), "src": .string(e.src.description), "label": .string(e.label),
             "dst": .string(e.dst.description), "props": .map(e.props)]
        case .deleteEdge(let id): ["op": "delete-edge", "id": .string(id.description)]
        }
    }

    /// The change as one line of JSON (no newline).
    public var line: String { GraphJSON.text(value) }
}

extension ChangeSet {
    /// Records one change (a removed node's edges go at commit).
    public mutating func apply(_ op: ChangeOp) {
        switch op {
        case .putNode(let n): put(n)
        case .deleteNode(let id): removeNode(id)
        case .putEdge(let e): put(e)
        case .deleteEdge(let id): removeEdge(id)
        }
    }
}
