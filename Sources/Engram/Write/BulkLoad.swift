import EngramIPLD
import EngramProlly
import EngramStorage

/// Loads a stream of changes into an empty graph with bounded memory: objects are encoded and
/// stored as they arrive, only compact records (ids, sequence numbers, CIDs, index keys in one
/// flat buffer) are kept, and each tree is built bottom-up from its sorted entries.
///
/// The result is the state one transaction of every change would give (``Repository/commitStream``).
struct BulkLoad {
    struct NodeRecord {
        var id: EntityID
        var seq: Int32
        var cid: CID?
        var label: Int32
    }

    struct EdgeRecord {
        var id: EntityID
        var seq: Int32
        var cid: CID?
        var src: EntityID
        var dst: EntityID
        var label: Int32
    }

    /// A props key in `keyBytes`, with the sequence number of the node version it belongs to.
    /// Keys over `ProllyLimits.maxKeyLength` are kept aside (`oversizedKeys`), so a length
    /// fits 16 bits; the buffer may pass 4 GiB, so the offset is a full `Int`.
    struct KeyRef {
        var offset: Int
        var length: UInt16
        var seq: Int32
    }

    let storage: ProllyStorage
    /// The text index configuration of the graph loaded into.
    let textConfig: TextIndexConfig
    var seq: Int32 = 0
    var nodes: [NodeRecord] = []
    var edges: [EdgeRecord] = []
    var labels: [String] = []
    /// Labels are interned by their bytes: NFC and NFD spellings are two labels.
    var labelIndex: [ExactText: Int32] = [:]
    /// The last removal of each node removed.
    var nodeRemovals: [EntityID: Int32] = [:]
    var keyBytes: [UInt8] = []
    var keys: [KeyRef] = []
    /// Props keys too long for a tree: an error if a node's final version has one, as in a
    /// transaction (earlier versions of a node do not count).
    var oversizedKeys: [(seq: Int32, key: [UInt8])] = []
    var blocks: [Block] = []
    /// The vectors and validity tree entries of each put (SPEC.md 7.10, 7.12), kept only for
    /// the version of a node or edge that is final.
    var vectorRecords: [RecallRecord] = []
    var validityRecords: [RecallRecord] = []

    struct RecallRecord {
        var id: EntityID
        var seq: Int32
        var isEdge: Bool
        var entry: ProllyEntry
    }

    init(storage: ProllyStorage, textConfig: TextIndexConfig = .default) {
        self.storage = storage
        self.textConfig = textConfig
    }

    mutating func label(_ s: String) -> Int32 {
        if let i = labelIndex[ExactText(s)] { return i }
        // Fits: there are no more labels than changes, which `seq` counts (at most Int32.max).
        let index = Int32(truncatingIfNeeded: labels.count)
        labels.append(s)
        labelIndex[ExactText(s)] = index
        return index
    }

    mutating func store(_ bytes: [UInt8]) throws(GraphError) -> CID {
        let cid = CID(hashing: bytes, codec: .dagCBOR, function: storage.hashFunction)
        blocks.append(Block(unchecked: cid, bytes: bytes))
        if blocks.count >= GraphWriter.blockBatch {
            try storage.blocks.putBlocks(blocks)
            blocks.removeAll(keepingCapacity: true)
        }
        return cid
    }

    mutating func add(_ op: ChangeOp) throws(GraphError) {
        let (next, overflow) = seq.addingReportingOverflow(1)
        guard !overflow else {
            throw .invalidChange(line: Int(seq) + 1, reason: "a load into an empty graph takes at most \(Int32.max) changes")
        }
        seq = next
        switch op {
        case .putNode(let n):
            try Validity.check(n.props, of: n.id)
            try Embedding.check(n)
            for e in VectorIndex.entries(of: n) { vectorRecords.append(RecallRecord(id: n.id, seq: seq, isEdge: false, entry: e)) }
            for e in ValidityIndex.entries(of: n) { validityRecords.append(RecallRecord(id: n.id, seq: seq, isEdge: false, entry: e)) }
            nodes.append(NodeRecord(id: n.id, seq: seq, cid: try store(try n.encode()), label: label(n.label)))
            for key in IndexKeys.props(of: n) {
                guard key.count <= ProllyLimits.maxKeyLength else {
                    oversizedKeys.append((seq, key))
                    continue
                }
                keys.append(KeyRef(offset: keyBytes.count, length: UInt16(truncatingIfNeeded: key.count), seq: seq))
                keyBytes += key
            }
        case .deleteNode(let id):
            nodes.append(NodeRecord(id: id, seq: seq, cid: nil, label: -1))
            nodeRemovals[id] = seq
        case .putEdge(let e):
            try Validity.check(e.props, of: e.id)
            for v in ValidityIndex.entries(of: e) { validityRecords.append(RecallRecord(id: e.id, seq: seq, isEdge: true, entry: v)) }
            edges.append(EdgeRecord(id: e.id, seq: seq, cid: try store(try e.encode()), src: e.src, dst: e.dst, label: label(e.label)))
        case .deleteEdge(let id):
            edges.append(EdgeRecord(id: id, seq: seq, cid: nil, src: id, dst: id, label: -1))
        }
    }

    /// Keeps the last record of each id, in id order (in place: these arrays are the big ones).
    static func lastByID<T>(_ records: inout [T], id: (T) -> EntityID, seq: (T) -> Int32) {
        records.sort { a, b in id(a) != id(b) ? id(a) < id(b) : seq(a) < seq(b) }
        var w = 0
        for r in records.indices {
            if w > 0 && id(records[w - 1]) == id(records[r]) { records[w - 1] = records[r] } else {
                records[w] = records[r]
                w += 1
            }
        }
        records.removeLast(records.count - w)
    }

    /// Builds the six trees.
    mutating func finish() throws(GraphError) -> WrittenState {
        try storage.blocks.putBlocks(blocks)
        blocks = []
        Self.lastByID(&nodes, id: \.id, seq: \.seq)
        nodes.removeAll { $0.cid == nil }
        let finalNodes = nodes
        nodes = []
        var nodeSeq: [EntityID: Int32] = [:]
        nodeSeq.reserveCapacity(finalNodes.count)
        for n in finalNodes { nodeSeq[n.id] = n.seq }
        // An edge stays if its last change is a put made after every removal of its ends.
        let removals = nodeRemovals
        Self.lastByID(&edges, id: \.id, seq: \.seq)
        edges.removeAll { e in e.cid == nil || (removals[e.src] ?? 0) >= e.seq || (removals[e.dst] ?? 0) >= e.seq }
        nodeRemovals = [:]
        for e in edges {
            for end in [e.src, e.dst] where nodeSeq[end] == nil { throw .danglingEdge(edge: e.id, missingNode: end) }
        }
        let storage = self.storage
        let nodesTree = try Self.build(storage, finalNodes.lazy.map { ($0.id.bytes, ProllyValue.link($0.cid!)) })
        let edgesTree = try Self.build(storage, edges.lazy.map { ($0.id.bytes, ProllyValue.link($0.cid!)) })
        let names = labels
        let byLabel = finalNodes.sorted { a, b in
            a.label == b.label ? a.id < b.id : ExactText.precedes(names[Int(a.label)], names[Int(b.label)])
        }
        let labelsTree = try Self.build(storage, byLabel.lazy.map { (IndexKeys.label(names[Int($0.label)], node: $0.id), .null) })
        let (vectors, validity) = try buildRecall(nodeSeq)
        let out = try Self.adjacency(storage, &edges, names, out: true)
        let inn = try Self.adjacency(storage, &edges, names, out: false)
        edges = []
        let props = try buildProps(nodeSeq)
        // Full-text postings are derived when first searched (SPEC.md 7.11).
        let index = IndexTrees(labels: labelsTree, props: props, out: out, in: inn, text: textConfig, vectors: vectors, validity: validity)
        return WrittenState(nodes: nodesTree, edges: edgesTree, index: index)
    }

    /// The vectors and validity trees from the entries of each node's final version and of the
    /// edges that stay (`edges` holds those, last version each).
    mutating func buildRecall(_ nodeSeq: [EntityID: Int32]) throws(GraphError) -> (vectors: ProllyTree, validity: ProllyTree) {
        var edgeSeq: [EntityID: Int32] = [:]
        if validityRecords.contains(where: \.isEdge) { for e in edges { edgeSeq[e.id] = e.seq } }
        func final(_ r: RecallRecord) -> Bool { (r.isEdge ? edgeSeq[r.id] : nodeSeq[r.id]) == r.seq }
        let vectorEntries = vectorRecords.filter(final).map(\.entry)
        let validityEntries = validityRecords.filter(final).map(\.entry)
        vectorRecords = []
        validityRecords = []
        let storage = self.storage
        return try GraphError.tree { () throws(ProllyError) in
            (try .build(unsorted: vectorEntries, in: storage), try .build(unsorted: validityEntries, in: storage))
        }
    }

    static func build<S: Sequence>(_ storage: ProllyStorage, _ entries: S) throws(GraphError) -> ProllyTree
    where S.Element == ([UInt8], ProllyValue) {
        try GraphError.tree { () throws(ProllyError) in
            var builder = ProllyBuilder(storage: storage)
            for (k, v) in entries { try builder.append(key: k, value: v) }
            return try builder.finish()
        }
    }

    /// Sorts `edges` in out (or in) key order and builds that tree.
    static func adjacency(_ storage: ProllyStorage, _ edges: inout [EdgeRecord], _ names: [String], out: Bool) throws(GraphError) -> ProllyTree {
        edges.sort { a, b in
            let (na, nb) = out ? (a.src, b.src) : (a.dst, b.dst)
            if na != nb { return na < nb }
            if a.label != b.label { return ExactText.precedes(names[Int(a.label)], names[Int(b.label)]) }
            let (fa, fb) = out ? (a.dst, b.dst) : (a.src, b.src)
            return fa != fb ? fa < fb : a.id < b.id
        }
        return try build(storage, edges.lazy.map { e in
            (out ? IndexKeys.adjacency(e.src, label: names[Int(e.label)], e.dst, edge: e.id)
                 : IndexKeys.adjacency(e.dst, label: names[Int(e.label)], e.src, edge: e.id), .null)
        })
    }

    /// The props tree from the keys of each node's final version, sorted in the flat buffer.
    mutating func buildProps(_ nodeSeq: [EntityID: Int32]) throws(GraphError) -> ProllyTree {
        for (seq, key) in oversizedKeys where nodeSeq[try IndexKeys.trailingID(key)] == seq {
            throw .tree(.keyTooLong(key: key, length: key.count))
        }
        oversizedKeys = []
        let bytes = keyBytes
        keyBytes = []
        var refs = keys
        keys = []
        refs = bytes.withUnsafeBytes { buf in
            refs.filter { r in
                let idOffset = r.offset + Int(r.length) - 16
                let id = EntityID(bytes: UnsafeRawBufferPointer(rebasing: buf[idOffset..<(idOffset + 16)]))!
                return nodeSeq[id] == r.seq
            }
        }
        bytes.withUnsafeBytes { buf in
            refs.sort { a, b in
                KeyOrder.compare(UnsafeRawBufferPointer(rebasing: buf[a.offset..<(a.offset + Int(a.length))]),
                                 UnsafeRawBufferPointer(rebasing: buf[b.offset..<(b.offset + Int(b.length))])) < 0
            }
        }
        return try Self.build(storage, refs.lazy.map { r in (Array(bytes[r.offset..<(r.offset + Int(r.length))]), .null) })
    }
}
