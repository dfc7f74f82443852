import Engram
import EngramIPLD
import EngramStorage
import EngramTestSupport
import Foundation
import Testing

/// `searchText` (SPEC.md 7.11): BM25 scores against the formula computed here, phrases, prefixes,
/// filters, order, limits and the errors of bad queries.
struct TextSearchTests {
    static let info = CommitInfo(author: "t", message: "m", time: 1)
    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x018f_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// A repository holding `docs` (id n+1 = docs[n]) as `Note {title}` nodes.
    static func repository(_ docs: [String], extra: [Node] = []) throws -> Repository {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        for (i, d) in docs.enumerated() { tx.putNode(Node(id: id(UInt64(i + 1)), label: "Note", props: ["title": .string(d)])) }
        for n in extra { tx.putNode(n) }
        _ = try repo.commit(tx, info)
        return repo
    }

    @Test func scoresAreBM25WithThePositiveIdf() throws {
        let docs = ["apple banana apple", "banana cherry", "cherry cherry cherry date", "elderberry"]
        let repo = try Self.repository(docs)
        let hits = try repo.searchText(TextQuery("Apple CHERRY"))
        // N = 4, total = 10, avgdl = 2.5; idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
        func idf(_ df: Double) -> Double { log(1 + (4 - df + 0.5) / (df + 0.5)) }
        func part(_ tf: Double, _ len: Double) -> Double { tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / 2.5)) }
        let want: [(EntityID, Double, [String])] = [
            (Self.id(1), idf(1) * part(2, 3), ["apple"]),
            (Self.id(3), idf(2) * part(3, 4), ["cherry"]),
            (Self.id(2), idf(2) * part(1, 2), ["cherry"]),
        ].sorted { $0.1 > $1.1 }
        #expect(hits.map(\.id) == want.map(\.0))
        for (h, w) in zip(hits, want) {
            #expect(abs(h.score - w.1) < 1e-12, "\(h.id)")
            #expect(h.matchedTerms == w.2)
        }
        // Other parameters change the scores as the formula says.
        let flat = try repo.searchText(TextQuery("cherry", parameters: BM25Parameters(k1: 2, b: 0)))
        #expect(abs(flat[0].score - idf(2) * 3 * 3 / (3 + 2)) < 1e-12 && flat[0].id == Self.id(3))
    }

    @Test func equalScoresComeInIdOrderAndTheLimitCuts() throws {
        let repo = try Self.repository(Array(repeating: "same words here", count: 12))
        let hits = try repo.searchText(TextQuery("words", limit: 5))
        #expect(hits.map(\.id) == (1...5).map { Self.id(UInt64($0)) })
        #expect(Set(hits.map(\.score)).count == 1)
    }

    @Test func phrasesNeedAdjacentTermsInOrderWithinOneProperty() throws {
        let split = Node(id: Self.id(10), label: "Note", props: ["title": "ada", "body": "lovelace"])
        let repo = try Self.repository(["Ada Lovelace wrote notes", "lovelace ada", "ada, the countess LOVELACE", "ada-lovelace"],
                                       extra: [split])
        #expect(try repo.searchText(TextQuery("\"ada lovelace\"")).map(\.id).sorted() == [Self.id(1), Self.id(4)])
        #expect(try repo.searchText(TextQuery("\"lovelace ada\"")).map(\.id) == [Self.id(2)])
        // A bare word beside the phrase lets other nodes in.
        let mixed = try repo.searchText(TextQuery("\"ada lovelace\" countess"))
        #expect(Set(mixed.map(\.id)) == [Self.id(1), Self.id(4), Self.id(3)])
        #expect(mixed.first { $0.id == Self.id(3) }?.matchedTerms == ["ada", "countess", "lovelace"])
    }

    @Test func prefixesExpandToTheTermsThatStartWithThem() throws {
        let repo = try Self.repository(["banana split", "bandana", "band practice", "urban", "b\u{E9}b\u{E9}"])
        let hits = try repo.searchText(TextQuery("ban*"))
        #expect(Set(hits.map(\.id)) == [Self.id(1), Self.id(2), Self.id(3)])
        #expect(hits.first { $0.id == Self.id(3) }?.matchedTerms == ["band"])
        #expect(try repo.searchText(TextQuery("B\u{C9}*")).map(\.id) == [Self.id(5)])
        #expect(try repo.searchText(TextQuery("be\u{301}b*")).map(\.id) == [Self.id(5)])
        #expect(try repo.searchText(TextQuery("zzz*")).isEmpty)
    }

    @Test func filtersByLabelPropertyAndValidity() throws {
        let extra = [
            Node(id: Self.id(20), label: "Person", props: ["title": "editor setup vim", "team": "core"]),
            Node(id: Self.id(21), label: "Person", props: ["title": "editor setup emacs", "team": "web"]),
            Node(id: Self.id(22), label: "Fact", props: ["title": "editor is vim", "valid_to": 5]),
        ]
        let repo = try Self.repository(["editor notes"], extra: extra)
        #expect(Set(try repo.searchText(TextQuery("editor")).map(\.id)) == [Self.id(1), Self.id(20), Self.id(21)])
        #expect(Set(try repo.searchText(TextQuery("editor", filter: .everything)).map(\.id)).count == 4)
        #expect(try repo.searchText(TextQuery("editor", filter: NodeFilter(labels: ["Fact"], validAt: .at(4)))).map(\.id) == [Self.id(22)])
        #expect(try repo.searchText(TextQuery("editor", filter: NodeFilter(labels: ["Fact"], validAt: .at(5)))).isEmpty)
        let person = NodeFilter(labels: ["Person"], validAt: .any)
        #expect(Set(try repo.searchText(TextQuery("editor", filter: person)).map(\.id)) == [Self.id(20), Self.id(21)])
        let web = NodeFilter(labels: ["Person"], properties: [.init("team", "web")])
        #expect(try repo.searchText(TextQuery("editor", filter: web)).map(\.id) == [Self.id(21)])
        // The limit counts hits that pass the filter.
        #expect(try repo.searchText(TextQuery("editor vim", limit: 1, filter: person)).map(\.id) == [Self.id(20)])
    }

    @Test func anEmptyGraphHasNoHits() throws {
        let repo = try Repository(store: MemoryBlockStore())
        #expect(try repo.searchText(TextQuery("anything")).isEmpty)
    }

    @Test(arguments: [
        ("", "empty"), ("   \t", "empty"), ("!!! ... \u{1F600}", "no searchable term"), ("\"ada", "not closed"),
        ("\"...\"", "phrase"), ("*", "prefix"), ("-*", "prefix"), (String(repeating: "a ", count: 2049), "bytes"),
        ((0..<65).map { "w\($0)" }.joined(separator: " "), "distinct terms"),
    ])
    func badQueriesAreTypedErrorsNamingTheProblem(text: String, reason: String) throws {
        let repo = try Self.repository(["a b c"])
        let error = #expect(throws: GraphError.self) { try repo.searchText(TextQuery(text)) }
        guard case .invalidTextQuery(let why)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test func badLimitsAndParametersAreTypedErrors() throws {
        let repo = try Self.repository(["a b c"])
        for q in [TextQuery("a", limit: 0), TextQuery("a", limit: 10_001), TextQuery("a", parameters: BM25Parameters(k1: -1)),
                  TextQuery("a", parameters: BM25Parameters(b: 1.5)), TextQuery("a", parameters: BM25Parameters(k1: .nan))] {
            let error = #expect(throws: GraphError.self) { try repo.searchText(q) }
            guard case .invalidTextQuery? = error else {
                Issue.record("\(q): \(String(describing: error))")
                continue
            }
        }
    }
}
