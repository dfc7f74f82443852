import EngramIPLD
import EngramProlly
import EngramStorage

/// The graph as of one commit (or the empty graph of an unborn branch): its six trees, read
/// lazily. Cheap to make and to keep; every read goes to the shared node cache and store.
public struct GraphSnapshot: Sendable {
    /// The commit read, or nil for the empty graph.
    public let commitCID: CID?
    /// The commit object, or nil for the empty graph.
    public let commit: Commit?
    /// The nodes tree: node id -> link to the node.
    public let nodes: ProllyTree
    /// The edges tree: edge id -> link to the edge.
    public let edges: ProllyTree
    /// The index trees.
    public let index: IndexTrees
    /// Where the repository keeps derived full-text postings; nil for a state made outside a
    /// repository, whose searches build them in memory.
    var textIndexes: TextIndexCache?

    init(commitCID: CID?, commit: Commit?, nodes: ProllyTree, edges: ProllyTree, index: IndexTrees) {
        self.commitCID = commitCID
        self.commit = commit
        self.nodes = nodes
        self.edges = edges
        self.index = index
    }

    /// The storage the trees live in.
    public var storage: ProllyStorage { nodes.storage }

    /// The empty graph.
    static func empty(_ storage: ProllyStorage) throws(GraphError) -> GraphSnapshot {
        // A read-only store cannot take the empty leaf; reads serve it without the store.
        let writable = (storage.blocks as? any StorageBackend)?.isReadOnly != true
        let e = try GraphError.tree { () throws(ProllyError) in try ProllyTree.empty(in: storage, write: writable) }
        return GraphSnapshot(commitCID: nil, commit: nil, nodes: e, edges: e,
                             index: IndexTrees(labels: e, props: e, out: e, in: e, text: .default,
                                               vectors: e, validity: e))
    }

    /// The graph at commit `cid`.
    static func load(_ cid: CID, storage: ProllyStorage) throws(GraphError) -> GraphSnapshot {
        let commit = try Commit.decode(try storage.blocks.fetchBlock(cid), cid: cid)
        let set = try IndexSet.decode(try storage.blocks.fetchBlock(commit.indexes), cid: commit.indexes)
        let text = try set.text.map { (c) throws(GraphError) in try TextIndexConfig.decode(try storage.blocks.fetchBlock(c), cid: c) }
        var index = IndexTrees(set, text: text?.config, storage: storage)
        index.textUnknown = text?.unknown ?? []
        return GraphSnapshot(commitCID: cid, commit: commit,
                             nodes: ProllyTree(root: commit.nodes, storage: storage),
                             edges: ProllyTree(root: commit.edges, storage: storage),
                             index: index)
    }

    /// The node `id`, or nil when the graph has none.
    public func node(_ id: EntityID) throws(GraphError) -> Node? {
        guard let cid = try linkAt(nodes, id) else { return nil }
        return try Node.decode(try storage.blocks.fetchBlock(cid), cid: cid)
    }

    /// The edge `id`, or nil when the graph has none.
    public func edge(_ id: EntityID) throws(GraphError) -> Edge? {
        guard let cid = try linkAt(edges, id) else { return nil }
        return try Edge.decode(try storage.blocks.fetchBlock(cid), cid: cid)
    }

    /// Whether node `id` exists (one tree lookup, no block read).
    public func hasNode(_ id: EntityID) throws(GraphError) -> Bool { try linkAt(nodes, id) != nil }

    /// Whether edge `id` exists.
    public func hasEdge(_ id: EntityID) throws(GraphError) -> Bool { try linkAt(edges, id) != nil }

    /// The number of nodes, from the tree's counts.
    public func nodeCount() throws(GraphError) -> UInt64 { try GraphError.tree { () throws(ProllyError) in try nodes.count() } }

    /// The number of edges, from the tree's counts.
    public func edgeCount() throws(GraphError) -> UInt64 { try GraphError.tree { () throws(ProllyError) in try edges.count() } }

    func linkAt(_ tree: ProllyTree, _ id: EntityID) throws(GraphError) -> CID? {
        let value = try GraphError.tree { () throws(ProllyError) in try tree.get(id.bytes) }
        switch value {
        case nil: return nil
        case .link(let c)?: return c
        default: throw .invalidObject(kind: "tree", cid: tree.root, reason: "entry \(id) is not a link")
        }
    }
}

/// The index trees of a commit, and its full-text configuration.
public struct IndexTrees: Sendable, Equatable {
    /// The labels index.
    public var labels: ProllyTree
    /// The props index.
    public var props: ProllyTree
    /// The out-edges index.
    public var out: ProllyTree
    /// The in-edges index.
    public var `in`: ProllyTree
    /// The tuple key format of the trees (``IndexSet/format``).
    public var format: Int
    /// The full-text configuration (SPEC.md 7.11); nil for a commit written before full-text
    /// search, which is searched with the default one.
    public var text: TextIndexConfig?
    /// Fields of the `text_index` block written by a newer version, kept as they were.
    var textUnknown: [UnknownField] = []
    /// The vectors tree (SPEC.md 7.12); nil for a commit written before it existed.
    public var vectors: ProllyTree?
    /// The validity tree (SPEC.md 7.10); nil for a commit written before it existed.
    public var validity: ProllyTree?

    /// The index trees with these roots, in key format `format`.
    public init(labels: ProllyTree, props: ProllyTree, out: ProllyTree, in: ProllyTree, format: Int = IndexSet.currentFormat,
                text: TextIndexConfig? = nil, vectors: ProllyTree? = nil, validity: ProllyTree? = nil) {
        self.labels = labels
        self.props = props
        self.out = out
        self.in = `in`
        self.format = format
        self.text = text
        self.vectors = vectors
        self.validity = validity
    }

    init(_ set: IndexSet, text: TextIndexConfig?, storage: ProllyStorage) {
        self.init(labels: ProllyTree(root: set.labels, storage: storage), props: ProllyTree(root: set.props, storage: storage),
                  out: ProllyTree(root: set.out, storage: storage), in: ProllyTree(root: set.in, storage: storage),
                  format: set.format, text: text, vectors: set.vectors.map { ProllyTree(root: $0, storage: storage) },
                  validity: set.validity.map { ProllyTree(root: $0, storage: storage) })
    }

    /// The index set object naming these roots (and the text configuration block, ``textBlock``).
    public var indexSet: IndexSet {
        IndexSet(labels: labels.root, props: props.root, out: out.root, in: `in`.root, format: format, text: textBlock?.cid,
                 vectors: vectors?.root, validity: validity?.root)
    }

    /// The `text_index` block of the configuration (SPEC.md 7.11), which the index set links.
    var textBlock: Block? { text.map { $0.block(hashedWith: labels.storage.hashFunction, unknown: textUnknown) } }

    /// The same trees read through `storage`.
    func moved(to storage: ProllyStorage) -> IndexTrees {
        func move(_ t: ProllyTree) -> ProllyTree { ProllyTree(root: t.root, storage: storage) }
        var m = IndexTrees(labels: move(labels), props: move(props), out: move(out), in: move(`in`), format: format,
                           text: text, vectors: vectors.map(move), validity: validity.map(move))
        m.textUnknown = textUnknown
        return m
    }
}

extension BlockStore {
    /// The block's bytes, checked to hash to `cid` (before anything decodes them), as a
    /// ``GraphError`` when it is missing, corrupt or the store fails.
    func fetchBlock(_ cid: CID) throws(GraphError) -> [UInt8] {
        let bytes: [UInt8]?
        do { bytes = try get(cid) } catch { throw .wrapping(error) }
        guard let bytes else { throw .missingBlock(cid) }
        if let failure = cid.verificationFailure(bytes) { throw .corruptBlock(cid, reason: failure) }
        return bytes
    }

    /// Stores blocks, as a ``GraphError`` when the store fails.
    func putBlocks(_ blocks: [Block]) throws(GraphError) {
        guard !blocks.isEmpty else { return }
        do { try put(blocks) } catch { throw .wrapping(error) }
    }
}
