import EngramIPLD
import EngramProlly

extension TextIndex {
    /// The postings after nodes change from `old` (absent: new) to `changes` (nil: removed): one
    /// sorted batch per tree, touching only the terms whose frequency changed and the lengths
    /// that changed. Never a rebuild. The caller sets ``nodes``.
    func updating(_ changes: [EntityID: Node?], old: [EntityID: Node]) throws(GraphError) -> TextIndex {
        var termMutations: [ProllyMutation] = [], docMutations: [ProllyMutation] = []
        var total = Int64(clamping: totalLength)
        for (id, new) in changes {
            let before = old[id], texts = new.map(config.texts(of:))
            // Most edits leave the indexed text alone (a label, another property).
            if let before, let texts, Self.same(config.texts(of: before), texts) { continue }
            let a = before.map { TextDocument($0, config: config) }, b = new.map { TextDocument($0, config: config) }
            let (la, lb) = (a?.length ?? 0, b?.length ?? 0)
            for (term, _) in a?.frequencies ?? [:] where b?.frequencies[term] == nil {
                termMutations.append(.remove(key: TextKeys.term(term, node: id)))
            }
            // A posting holds the node's length too: a new length rewrites every posting.
            for (term, tf) in b?.frequencies ?? [:] where la != lb || a?.frequencies[term] != tf {
                termMutations.append(.upsert(key: TextKeys.term(term, node: id), value: TextKeys.posting(frequency: tf, length: lb)))
            }
            if la != lb {
                docMutations.append(lb == 0 ? .remove(key: id.bytes) : .upsert(key: id.bytes, value: TextKeys.count(lb)))
                // The stored total comes from a block: checked, never trapping.
                let (next, overflow) = total.addingReportingOverflow(Int64(lb) - Int64(la))
                guard !overflow, next >= 0 else {
                    throw .invalidObject(kind: Self.kind, cid: nil, reason: "the total length leaves 0...2^63-1: the index does not match the nodes")
                }
                total = next
            }
        }
        var next = self
        next.terms = try GraphError.tree { () throws(ProllyError) in try terms.applying(termMutations) }
        next.docs = try GraphError.tree { () throws(ProllyError) in try docs.applying(docMutations) }
        next.totalLength = UInt64(total)
        return next
    }

    static func same(_ a: [String], _ b: [String]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ExactText.same($0, $1) }
    }
}

/// Builds a text index from scratch, from nodes given in id order.
struct TextIndexBuilder {
    let config: TextIndexConfig
    var terms: [ProllyEntry] = []
    var docs: [ProllyEntry] = []
    var total: UInt64 = 0

    init(config: TextIndexConfig) { self.config = config }

    mutating func add(_ node: Node) {
        let doc = TextDocument(node, config: config)
        guard doc.length > 0 else { return }
        for (term, tf) in doc.frequencies {
            terms.append(ProllyEntry(key: TextKeys.term(term, node: node.id), value: TextKeys.posting(frequency: tf, length: doc.length)))
        }
        docs.append(ProllyEntry(key: node.id.bytes, value: TextKeys.count(doc.length)))
        total += UInt64(doc.length)
    }

    /// The postings of the nodes added, those of nodes tree `nodes`.
    func finish(in storage: ProllyStorage, nodes: CID) throws(GraphError) -> TextIndex {
        try GraphError.tree { () throws(ProllyError) in
            TextIndex(terms: try .build(unsorted: terms, in: storage), docs: try .build(unsorted: docs, in: storage),
                      totalLength: total, config: config, nodes: nodes)
        }
    }
}

extension GraphSnapshot {
    /// The full-text postings built from scratch over this state's nodes with `config` (by
    /// default the state's own configuration, or ``TextIndexConfig/default`` when it has none),
    /// their trees written to `storage` (by default this state's).
    public func rebuildTextIndex(config: TextIndexConfig? = nil, in storage: ProllyStorage? = nil) throws(GraphError) -> TextIndex {
        var builder = TextIndexBuilder(config: config ?? index.text ?? .default)
        try forEachNode { (node) throws(GraphError) in builder.add(node) }
        return try builder.finish(in: storage ?? self.storage, nodes: nodes.root)
    }
}
