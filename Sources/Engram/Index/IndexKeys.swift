import EngramIPLD
import EngramProlly

/// The keys of the index trees (DESIGN.md 4), built with ``TupleKey`` so a tuple prefix is a
/// key prefix and bytewise order is tuple order.
///
/// - labels: (label, node id)
/// - props: (label, property name, value, node id)
/// - out: (src, edge label, dst, edge id)
/// - in: (dst, edge label, src, edge id)
public enum IndexKeys {
    /// The key of a node or edge in the nodes or edges tree: its 16 bytes.
    @inlinable
    public static func id(_ id: EntityID) -> [UInt8] { id.bytes }

    /// (label) prefix of the labels tree.
    public static func label(_ label: String) -> [UInt8] {
        var k = TupleKey()
        k.append(text: label)
        return k.bytes
    }

    /// (label, node id) in the labels tree.
    public static func label(_ label: String, node: EntityID) -> [UInt8] {
        var k = Self.label(label)
        node.append(to: &k)
        return k
    }

    /// (label, name) or (label, name, value) prefix of the props tree.
    public static func prop(_ label: String, _ name: String, _ value: KeyValue? = nil) throws(GraphError) -> [UInt8] {
        var k = TupleKey()
        k.append(text: label)
        k.append(text: name)
        if let value {
            do { try k.append(value) } catch { throw .unindexableValue("\(error)") }
        }
        return k.bytes
    }

    /// (label, name, value, node id) in the props tree.
    public static func prop(_ label: String, _ name: String, _ value: KeyValue, node: EntityID) throws(GraphError) -> [UInt8] {
        var k = try prop(label, name, value)
        node.append(to: &k)
        return k
    }

    /// (node) or (node, edge label) prefix of the out or in tree.
    public static func adjacency(_ node: EntityID, label: String? = nil) -> [UInt8] {
        var k = node.bytes
        if let label {
            var t = TupleKey()
            t.append(text: label)
            k += t.bytes
        }
        return k
    }

    /// (from, edge label, to, edge id): the out key when `from` is the source, the in key when
    /// it is the destination.
    public static func adjacency(_ from: EntityID, label: String, _ to: EntityID, edge: EntityID) -> [UInt8] {
        var k = adjacency(from, label: label)
        to.append(to: &k)
        edge.append(to: &k)
        return k
    }

    /// The out key of an edge.
    public static func out(_ e: Edge) -> [UInt8] { adjacency(e.src, label: e.label, e.dst, edge: e.id) }
    /// The in key of an edge.
    public static func `in`(_ e: Edge) -> [UInt8] { adjacency(e.dst, label: e.label, e.src, edge: e.id) }

    /// The id at the end of a labels or props key. Index trees come from the store, so a key
    /// too short to hold the id is ``GraphError/invalidObject(kind:cid:reason:)``.
    @inlinable
    public static func trailingID(_ key: [UInt8]) throws(GraphError) -> EntityID {
        guard key.count >= 16 else { throw tooShort(key, need: 16, what: "a trailing 16-byte id") }
        return EntityID.read(key, at: key.count - 16)
    }

    /// The parts of an out or in key: the far node, the edge label and the edge id. A key too
    /// short for the node id, label terminator and two ids is ``GraphError/invalidObject(kind:cid:reason:)``.
    public static func decodeAdjacency(_ key: [UInt8]) throws(GraphError) -> (label: String, other: EntityID, edge: EntityID) {
        let n = key.count
        guard n >= 49 else { throw tooShort(key, need: 49, what: "a node id, a label and two ids") }
        return (unescape(key[16..<(n - 32)]), EntityID.read(key, at: n - 32), EntityID.read(key, at: n - 16))
    }

    @usableFromInline
    static func tooShort(_ key: [UInt8], need: Int, what: String) -> GraphError {
        .invalidObject(kind: "index key", cid: nil, reason: "\(Hex.encode(key)) is \(key.count) bytes, too short for \(what) (\(need) at least)")
    }

    /// Text from its escaped form (`00 ff` is `00`; the final `00` ends it).
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0 {
                if i + 1 < bytes.endIndex && bytes[i + 1] == 0xff { out.append(0); i += 2; continue }
                break
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key value of a property, or nil for the kinds the props index does not hold (lists,
    /// maps, links, integers beyond 64-bit signed).
    public static func keyValue(_ value: IPLD) -> KeyValue? {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .integer(let i): i.int64.map { .int($0) }
        case .float(let d): d.isNaN ? nil : .float(d)
        case .string(let s): .text(s)
        case .bytes(let b): .bytes(b)
        case .list, .map, .link: nil
        }
    }

    /// The props keys of a node (one per indexable property).
    public static func props(of node: Node) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        keys.reserveCapacity(node.props.count)
        for (name, value) in node.props {
            if let kv = keyValue(value), let key = try? prop(node.label, name, kv, node: node.id) { keys.append(key) }
        }
        return keys
    }
}
