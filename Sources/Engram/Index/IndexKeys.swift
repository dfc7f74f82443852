import EngramIPLD
import EngramProlly

/// The keys of the index trees (DESIGN.md 4), built with `TupleKey` so a tuple prefix is a
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
            do { try k.append(value) } catch { throw .unindexableValue(.cause(error)) }
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

    /// The id at the end of a labels, props, out or in key (a node id, or an edge id).
    public static func trailingID(_ key: [UInt8]) throws(GraphError) -> EntityID {
        guard key.count >= 16 else {
            throw .tree(.malformedTupleKey(key: key, offset: 0, reason: "a key of \(key.count) bytes has no trailing id"))
        }
        return EntityID.read(key, at: key.count - 16)
    }

    /// The parts of a labels key (label, node id).
    public static func decodeLabel(_ key: [UInt8]) throws(GraphError) -> (label: String, node: EntityID) {
        try read(key) { (r) throws(ProllyError) in (try r.readText(), try readID(&r)) }
    }

    /// The parts of a props key (label, property name, value, node id); a value whose encoding
    /// was cut comes back as its prefix and hash.
    public static func decodeProp(_ key: [UInt8]) throws(GraphError)
        -> (label: String, name: String, value: DecodedKeyValue, node: EntityID) {
        try read(key) { (r) throws(ProllyError) in (try r.readText(), try r.readText(), try r.readValue(), try readID(&r)) }
    }

    /// The parts of an out or in key: the far node, the edge label and the edge id.
    public static func decodeAdjacency(_ key: [UInt8]) throws(GraphError) -> (label: String, other: EntityID, edge: EntityID) {
        try read(key) { (r) throws(ProllyError) in
            _ = try readID(&r)
            return (try r.readText(), try readID(&r), try readID(&r))
        }
    }

    /// Runs `body` over a reader of `key`, which must then be read to its end.
    static func read<T>(_ key: [UInt8], _ body: (inout TupleKeyReader) throws(ProllyError) -> T) throws(GraphError) -> T {
        try GraphError.tree { () throws(ProllyError) -> T in
            var r = TupleKeyReader(key)
            let parts = try body(&r)
            try r.finish()
            return parts
        }
    }

    static func readID(_ r: inout TupleKeyReader) throws(ProllyError) -> EntityID {
        EntityID.read(r.key, at: try r.skipID())
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
