import EngramProlly
import EngramStorage

extension GraphSnapshot {
    /// The nodes of this state that match `query`, best first (score descending, then id), at
    /// most `query.limit` of them (SPEC.md 7.11). The state's postings are derived first if its
    /// repository has not derived them yet.
    public func searchText(_ query: TextQuery) throws(GraphError) -> [TextHit] {
        try query.validate()
        let index = try searchableTextIndex()
        let parsed = try ParsedTextQuery(query.text, tokenizer: index.config.tokenizer)
        var search = TextSearch(snapshot: self, index: index, query: query)
        return try search.run(parsed)
    }

    /// The state's full-text postings: from its repository's cache, or, for a state made
    /// outside a repository, built in memory (a search must not write to a store it was not
    /// given to write).
    func searchableTextIndex() throws(GraphError) -> TextIndex {
        if let textIndexes { return try textIndexes.index(for: self) }
        let memory = WriteSession(over: storage.blocks, pinning: nil, spilling: false)
        return try rebuildTextIndex(in: ProllyStorage(blocks: memory, hashFunction: storage.hashFunction))
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
        var score = 0.0
        /// Whether it holds a bare term or an expansion (else only terms of phrases, which must
        /// still be checked: all of a phrase's terms held, then adjacent in the text).
        var holdsAlternative = false
    }

    /// One posting of a term: the node, the term's frequency in it, the node's length.
    struct Posting {
        var id: EntityID
        var frequency: Int32
        var length: Int32
    }

    mutating func termPosition(_ term: [UInt8]) -> Int {
        if let p = position[term] { return p }
        terms.append(term)
        position[term] = terms.count - 1
        return terms.count - 1
    }

    /// Up to this many terms, the postings lists are merged by id; past it (prefix expansions),
    /// a pass per list adds into a table, so the cost stays linear in the postings.
    static let mergeLimit = 16

    mutating func run(_ parsed: ParsedTextQuery, mergeLimit: Int = TextSearch.mergeLimit) throws(GraphError) -> [TextHit] {
        // Clauses as term positions: any one of `alternatives` matches; a phrase needs all.
        var alternatives = Set(parsed.words.map { termPosition($0) })
        for prefix in parsed.prefixes {
            for term in try expand(prefix) { alternatives.insert(termPosition(term)) }
        }
        let phrases = parsed.phrases.map { p in p.map { termPosition($0) } }
        let documents = try GraphError.tree { () throws(ProllyError) in try index.docs.count() }
        guard documents > 0 else { return [] }
        let averageLength = Double(index.totalLength) / Double(documents)
        // Each term's postings, in id order (the terms tree's order within a term).
        var lists: [[Posting]] = []
        lists.reserveCapacity(terms.count)
        for term in terms { lists.append(try postings(term)) }
        let idf = lists.map { BM25Parameters.idf(documentFrequency: Double($0.count), documents: Double(documents)) }
        let isAlternative = terms.indices.map { alternatives.contains($0) }
        let parameters = query.parameters
        let score = { (t: Int, p: Posting) in
            parameters.termScore(idf: idf[t], frequency: Double(p.frequency), length: Double(p.length), averageLength: averageLength)
        }
        var ranked = lists.count <= mergeLimit ? Self.merged(lists, score, isAlternative) : Self.accumulated(lists, score, isAlternative)
        ranked.sort { a, b in a.score != b.score ? a.score > b.score : a.id < b.id }
        return try select(ranked, lists: lists, phrases: phrases)
    }

    /// The candidates of id-ordered `lists` in one pass merging them by id, each node's
    /// contributions added in term order.
    static func merged(_ lists: [[Posting]], _ score: (Int, Posting) -> Double, _ isAlternative: [Bool]) -> [Candidate] {
        var ranked: [Candidate] = []
        var heads = [Int](repeating: 0, count: lists.count)
        while true {
            var next: EntityID?
            for (t, list) in lists.enumerated() where heads[t] < list.count {
                let id = list[heads[t]].id
                if next.map({ id < $0 }) ?? true { next = id }
            }
            guard let id = next else { break }
            var c = Candidate(id: id)
            for t in lists.indices where heads[t] < lists[t].count && lists[t][heads[t]].id == id {
                c.score += score(t, lists[t][heads[t]])
                c.holdsAlternative = c.holdsAlternative || isAlternative[t]
                heads[t] += 1
            }
            ranked.append(c)
        }
        return ranked
    }

    /// The same candidates, one list after another added into a table by id: also in term
    /// order for each node, so the sums are the same to the bit.
    static func accumulated(_ lists: [[Posting]], _ score: (Int, Posting) -> Double, _ isAlternative: [Bool]) -> [Candidate] {
        var ranked: [Candidate] = []
        var position: [EntityID: Int] = [:]
        for (t, list) in lists.enumerated() {
            for p in list {
                let k: Int
                if let known = position[p.id] { k = known } else {
                    k = ranked.count
                    position[p.id] = k
                    ranked.append(Candidate(id: p.id))
                }
                ranked[k].score += score(t, p)
                ranked[k].holdsAlternative = ranked[k].holdsAlternative || isAlternative[t]
            }
        }
        return ranked
    }

    /// Whether the term at `term` holds node `id` (a binary search of its postings).
    static func holds(_ lists: [[Posting]], _ term: Int, _ id: EntityID) -> Bool {
        let list = lists[term]
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < list.count && list[low].id == id
    }

    /// The best candidates that pass the phrase checks and the filter, up to the limit.
    func select(_ ranked: [Candidate], lists: [[Posting]], phrases: [[Int]]) throws(GraphError) -> [TextHit] {
        let filter = query.filter.resolved()
        let config = index.config
        var hits: [TextHit] = []
        for c in ranked {
            var node: Node?
            if !c.holdsAlternative {
                // Phrases whose every term the node holds, then checked against its text.
                let candidates = phrases.filter { p in p.allSatisfy { Self.holds(lists, $0, c.id) } }
                guard !candidates.isEmpty else { continue }
                let n = try load(c.id)
                node = n
                let texts = config.texts(of: n).map { config.tokenizer.termBytes($0) }
                guard candidates.contains(where: { p in texts.contains { Self.contains($0, p.map { terms[$0] }) } }) else { continue }
            }
            if filter.needsProperties {
                let n: Node
                if let node { n = node } else { n = try load(c.id) }
                guard filter.matches(n) else { continue }
            } else if !filter.labels.isEmpty {
                guard try hasLabel(c.id, filter.labels) else { continue }
            }
            let matched = terms.indices.filter { Self.holds(lists, $0, c.id) }.map { terms[$0] }.sorted { $0.lexicographicallyPrecedes($1) }
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

    /// Every posting of `term`, in id order.
    func postings(_ term: [UInt8]) throws(GraphError) -> [Posting] {
        let prefix = TextKeys.term(term)
        let tree = index.terms
        var out: [Posting] = []
        var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: prefix) }
        while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            guard e.key.count == prefix.count + 16 else {
                throw .tree(.malformedTupleKey(key: e.key, offset: prefix.count, reason: "a terms key ends with one 16-byte id"))
            }
            let (frequency, length) = try TextKeys.readPosting(e.value, in: tree)
            // Lengths and frequencies fit in Int32: a node's text is far below 2^31 terms.
            out.append(Posting(id: try IndexKeys.trailingID(e.key), frequency: Int32(clamping: frequency), length: Int32(clamping: length)))
        }
        return out
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
