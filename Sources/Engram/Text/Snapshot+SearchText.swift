import EngramProlly
import EngramStorage

extension GraphSnapshot {
    /// The nodes of this state that match `query`, best first (score descending, then id), at
    /// most `query.limit` of them (SPEC.md 7.11). A state written before full-text search has
    /// its index built in memory for the search.
    public func searchText(_ query: TextQuery) throws(GraphError) -> [TextHit] {
        try query.validate()
        let index = try searchableTextIndex()
        let parsed = try ParsedTextQuery(query.text, tokenizer: index.config.tokenizer)
        var search = TextSearch(snapshot: self, index: index, query: query)
        return try search.run(parsed)
    }

    /// The state's text index, or one built in memory when it has none (or one of another
    /// tokenizer version): indexes are derived data, and a search must not write.
    func searchableTextIndex() throws(GraphError) -> TextIndex {
        if let text = index.text, text.tokenizerVersion == TextTokenizer.version { return text }
        var builder = TextIndexBuilder(config: index.text?.config ?? .default)
        try forEachNode { (node) throws(GraphError) in builder.add(node) }
        return try builder.finish(in: ProllyStorage(blocks: MemoryBlockStore(), hashFunction: storage.hashFunction))
    }
}

/// One run of a full-text search: postings read per term, scores, then the filter and phrase
/// checks from the best candidate down until the limit is reached.
struct TextSearch {
    let snapshot: GraphSnapshot
    let index: TextIndex
    let query: TextQuery
    /// The distinct terms read, and each one's position in `terms`.
    var terms: [[UInt8]] = []
    var position: [[UInt8]: Int] = [:]

    init(snapshot: GraphSnapshot, index: TextIndex, query: TextQuery) {
        self.snapshot = snapshot
        self.index = index
        self.query = query
    }

    /// A node holding some of the query's terms.
    struct Candidate {
        var id: EntityID
        var frequencies: [(term: Int, tf: Int)] = []
        var score = 0.0
        /// Matched only through phrases, which must still be checked against the text.
        var phrases: [[[UInt8]]] = []
    }

    mutating func termPosition(_ term: [UInt8]) -> Int {
        if let p = position[term] { return p }
        terms.append(term)
        position[term] = terms.count - 1
        return terms.count - 1
    }

    mutating func run(_ parsed: ParsedTextQuery) throws(GraphError) -> [TextHit] {
        // Clauses as term positions: any one of `alternatives` matches; a phrase needs all.
        var alternatives = Set(parsed.words.map { termPosition($0) })
        for prefix in parsed.prefixes {
            for term in try expand(prefix) { alternatives.insert(termPosition(term)) }
        }
        let phrases = parsed.phrases.map { p in (terms: p, positions: Set(p.map { termPosition($0) })) }
        let documents = try GraphError.tree { () throws(ProllyError) in try index.docs.count() }
        guard documents > 0 else { return [] }
        let averageLength = Double(index.totalLength) / Double(documents)
        var byID: [EntityID: Candidate] = [:]
        var idf: [Double] = []
        for (i, term) in terms.enumerated() {
            var df = 0
            try postings(term) { (id, tf) in
                byID[id, default: Candidate(id: id)].frequencies.append((i, tf))
                df += 1
            }
            idf.append(BM25Parameters.idf(documentFrequency: Double(df), documents: Double(documents)))
        }
        var matching: [Candidate] = []
        matching.reserveCapacity(byID.count)
        for var c in byID.values {
            let held = Set(c.frequencies.map(\.term))
            if held.isDisjoint(with: alternatives) {
                c.phrases = phrases.filter { $0.positions.isSubset(of: held) }.map(\.terms)
                if c.phrases.isEmpty { continue }
            }
            matching.append(c)
        }
        matching.sort { $0.id < $1.id }
        let lengths = try documentLengths(matching.map(\.id), documents: documents)
        var ranked: [Candidate] = []
        ranked.reserveCapacity(matching.count)
        for (var c, length) in zip(matching, lengths.map(Double.init)) {
            for (term, tf) in c.frequencies {
                c.score += query.parameters.termScore(idf: idf[term], frequency: Double(tf), length: length, averageLength: averageLength)
            }
            ranked.append(c)
        }
        ranked.sort { a, b in a.score != b.score ? a.score > b.score : a.id < b.id }
        return try select(ranked)
    }

    /// The best candidates that pass the phrase checks and the filter, up to the limit.
    func select(_ ranked: [Candidate]) throws(GraphError) -> [TextHit] {
        let filter = query.filter.resolved()
        let config = index.config
        var hits: [TextHit] = []
        for c in ranked {
            var node: Node?
            if !c.phrases.isEmpty {
                let n = try load(c.id)
                node = n
                let texts = config.texts(of: n).map { config.tokenizer.termBytes($0) }
                guard c.phrases.contains(where: { p in texts.contains { Self.contains($0, p) } }) else { continue }
            }
            if filter.needsProperties {
                let n: Node
                if let node { n = node } else { n = try load(c.id) }
                guard filter.matches(n) else { continue }
            } else if !filter.labels.isEmpty {
                guard try hasLabel(c.id, filter.labels) else { continue }
            }
            let matched = c.frequencies.map { terms[$0.term] }.sorted { $0.lexicographicallyPrecedes($1) }
            hits.append(TextHit(id: c.id, score: c.score, matchedTerms: matched.map { String(decoding: $0, as: UTF8.self) }))
            if hits.count == query.limit { break }
        }
        return hits
    }

    /// Whether `tokens` has `phrase` as a contiguous run.
    static func contains(_ tokens: [[UInt8]], _ phrase: [[UInt8]]) -> Bool {
        guard phrase.count <= tokens.count else { return false }
        for start in 0...(tokens.count - phrase.count) where tokens[start] == phrase[0] {
            if tokens[start..<(start + phrase.count)].elementsEqual(phrase) { return true }
        }
        return false
    }

    /// Calls `body` with every (node, frequency) of `term`.
    func postings(_ term: [UInt8], _ body: (EntityID, Int) throws(GraphError) -> Void) throws(GraphError) {
        let prefix = TextKeys.term(term)
        let tree = index.terms
        var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: prefix) }
        while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            guard e.key.count == prefix.count + 16 else {
                throw .tree(.malformedTupleKey(key: e.key, offset: prefix.count, reason: "a terms key ends with one 16-byte id"))
            }
            try body(try IndexKeys.trailingID(e.key), try TextKeys.readCount(e.value, in: tree))
        }
    }

    /// The terms starting with `prefix`, in byte order, at most ``TextQuery/maxPrefixExpansions``:
    /// one seek per term (the scan jumps past each term's postings).
    func expand(_ prefix: [UInt8]) throws(GraphError) -> [[UInt8]] {
        let start = TextKeys.termPrefix(prefix)
        guard let end = KeyOrder.prefixEnd(start) else { return [] }
        var out: [[UInt8]] = []
        var from = start
        let tree = index.terms
        while out.count < TextQuery.maxPrefixExpansions {
            var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(from: from, to: end) }
            guard let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) else { break }
            let term = try TextKeys.decodeTerm(e.key).term
            out.append(term)
            guard let next = KeyOrder.prefixEnd(TextKeys.term(term)) else { break }
            from = next
        }
        return out
    }

    /// The lengths of nodes `ids` (in id order): one lookup each when they are few, else one
    /// ordered scan of the docs tree from the first.
    func documentLengths(_ ids: [EntityID], documents: UInt64) throws(GraphError) -> [Int] {
        let tree = index.docs
        func missing(_ id: EntityID) -> GraphError {
            .invalidObject(kind: TextIndex.kind, cid: tree.root, reason: "node \(id) has terms but no length")
        }
        guard let first = ids.first else { return [] }
        var out: [Int] = []
        out.reserveCapacity(ids.count)
        if UInt64(ids.count) * 16 < documents {
            for id in ids {
                guard let value = try GraphError.tree({ () throws(ProllyError) in try tree.get(id.bytes) }) else { throw missing(id) }
                out.append(try TextKeys.readCount(value, in: tree))
            }
            return out
        }
        var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(from: first.bytes) }
        for id in ids {
            while true {
                guard let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) else { throw missing(id) }
                let order = KeyOrder.compare(e.key, id.bytes)
                if order < 0 { continue }
                guard order == 0 else { throw missing(id) }
                out.append(try TextKeys.readCount(e.value, in: tree))
                break
            }
        }
        return out
    }

    func load(_ id: EntityID) throws(GraphError) -> Node {
        guard let node = try snapshot.node(id) else {
            throw .invalidObject(kind: TextIndex.kind, cid: index.terms.root, reason: "node \(id) is indexed but not in the graph")
        }
        return node
    }

    /// Whether node `id` has one of `labels`, from the labels tree (no node read) when its keys
    /// are in the current format, else from the node.
    func hasLabel(_ id: EntityID, _ labels: [String]) throws(GraphError) -> Bool {
        guard snapshot.index.format == IndexSet.currentFormat else {
            let label = try load(id).label
            return labels.contains { ExactText.same($0, label) }
        }
        let tree = snapshot.index.labels
        for label in labels {
            let key = IndexKeys.label(label, node: id)
            if try GraphError.tree({ () throws(ProllyError) in try tree.contains(key) }) { return true }
        }
        return false
    }
}
