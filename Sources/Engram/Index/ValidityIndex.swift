import EngramProlly

/// The keys and entries of the validity tree (SPEC.md 7.10): one entry per fact that carries
/// a validity interval, keyed so a query finds the closed facts of its own scope by prefix:
///
/// - ("node", label, node id) for a node;
/// - ("out", src, edge label, dst, edge id) and ("in", dst, edge label, src, edge id) for an edge,
///   the edge's out and in keys behind a tag;
///
/// each with the interval as its value (``ValidityInterval/encoded``). A fact without validity
/// properties has no entry, so a graph without them has an empty tree and queries skip the check.
enum ValidityIndex {
    /// The tag prefix of node entries.
    static let nodeTag = tag("node")
    /// The tag prefix of edge entries seen from their source (`out`) or destination.
    static func edgeTag(out: Bool) -> [UInt8] { out ? outTag : inTag }
    private static let outTag = tag("out")
    private static let inTag = tag("in")

    private static func tag(_ name: String) -> [UInt8] {
        var k = TupleKey()
        k.append(text: name)
        return k.bytes
    }

    /// The entry of a node, if it carries an interval.
    static func entries(of node: Node) -> [ProllyEntry] {
        guard let interval = Validity.interval(of: node.props) else { return [] }
        return [ProllyEntry(key: nodeTag + IndexKeys.label(node.label, node: node.id), value: .bytes(interval.encoded))]
    }

    /// The two entries of an edge, if it carries an interval.
    static func entries(of edge: Edge) -> [ProllyEntry] {
        guard let interval = Validity.interval(of: edge.props) else { return [] }
        let value = ProllyValue.bytes(interval.encoded)
        return [ProllyEntry(key: outTag + IndexKeys.out(edge), value: value), ProllyEntry(key: inTag + IndexKeys.in(edge), value: value)]
    }
}

/// The keys and entries of the vectors tree (SPEC.md 7.12): a node's embedding is stored under
/// (model, label, node id, chunk) in chunks of at most ``chunkComponents`` components (an inline
/// value holds at most 1,024 bytes), so a search over a model, or a model and a label, reads one
/// contiguous range of the tree and never a node.
enum VectorIndex {
    /// Components per chunk: 1,024 bytes of float32.
    static let chunkComponents = 256

    /// (model) or (model, label) prefix.
    static func prefix(model: String, label: String? = nil) -> [UInt8] {
        var k = TupleKey()
        k.append(text: model)
        if let label { k.append(text: label) }
        return k.bytes
    }

    /// The length of the trailing (node id, chunk) components of a key.
    static let trailerLength = 16 + 9

    /// The entries of a node's embedding (none when it has no valid one).
    static func entries(of node: Node) -> [ProllyEntry] {
        guard let value = node.props[Embedding.property], case .success(let (model, bytes)) = Embedding.parseRaw(value) else {
            return []
        }
        let head = prefix(model: model, label: node.label)
        let chunkBytes = chunkComponents * 4
        return stride(from: 0, to: bytes.count, by: chunkBytes).map { start in
            var key = head
            node.id.append(to: &key)
            // An integer key value never fails to encode.
            key += (try? TupleKey.encoding(of: .int(Int64(start / chunkBytes))).bytes) ?? []
            return ProllyEntry(key: key, value: .bytes(Array(bytes[start..<min(start + chunkBytes, bytes.count)])))
        }
    }

    /// The node id and chunk number at the end of a vectors key.
    static func trailer(_ key: [UInt8]) throws(GraphError) -> (node: EntityID, chunk: Int64) {
        guard key.count >= trailerLength else {
            throw .tree(.malformedTupleKey(key: key, offset: 0, reason: "a vectors key ends with a node id and a chunk number"))
        }
        let at = key.count - 9
        let chunk = try GraphError.tree { () throws(ProllyError) -> Int64 in
            var r = TupleKeyReader(key, offset: at)
            guard case .exact(.int(let c)) = try r.readValue() else { throw r.malformed("a vectors key's chunk is an integer") }
            return c
        }
        return (EntityID.read(key, at: at - 16), chunk)
    }

    /// The node id and chunk number at the end of a vectors key borrowed from a leaf, or nil
    /// when the key does not end with them (no copy: a vector search reads every key).
    static func trailer(raw key: UnsafeRawBufferPointer) -> (node: EntityID, chunk: Int64)? {
        let n = key.count
        guard n >= trailerLength, key[n - 9] == KeyValue.Tag.int else { return nil }
        func word(_ from: Int) -> UInt64 { (from..<(from + 8)).reduce(0) { $0 << 8 | UInt64(key[$1]) } }
        return (EntityID(high: word(n - 25), low: word(n - 17)), Int64(bitPattern: word(n - 8) ^ (1 << 63)))
    }

    /// The label in a vectors key read under the (model) prefix of `prefixLength` bytes.
    static func label(_ key: [UInt8], afterPrefix prefixLength: Int) throws(GraphError) -> String {
        try GraphError.tree { () throws(ProllyError) -> String in
            var r = TupleKeyReader(key, offset: prefixLength)
            return try r.readText()
        }
    }
}

extension IndexMutations {
    /// The mutations that turn an entity's entries `old` into `new` in a tree where each
    /// entity's entries are its own: keys that go are removed, new or changed ones upserted.
    static func replace(_ old: [ProllyEntry], with new: [ProllyEntry], into m: inout [ProllyMutation]) {
        if old == new { return }
        for o in old where !new.contains(where: { $0.key == o.key }) { m.append(.remove(key: o.key)) }
        for n in new where !old.contains(n) { m.append(.upsert(key: n.key, value: n.value)) }
    }
}
