import Engram
import EngramIPLD
import EngramStorage
import Testing

/// Revision syntax (SPEC.md 7.8) against commits built by hand: every form names the commit
/// the DAG and the reflog say it does.
struct RevisionTests {
    static func info(_ message: String, time: Int64) -> CommitInfo { CommitInfo(author: "t\u{E9}ster", message: message, time: time) }
    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// main: a - b - d - m(merge of c), side: b - c.
    struct History {
        let repo: Repository
        let a, b, c, d, m: CID
    }

    static func history() throws -> History {
        let repo = try Repository(store: MemoryBlockStore())
        func commit(_ n: UInt64, on branch: String, time: Int64) throws -> CID {
            var changes = ChangeSet()
            changes.put(Node(id: id(n), label: "Caf\u{E9}", props: ["n\u{0}": .int(Int64(n))]))
            return try repo.commit(changes, on: branch, info("c\(n) e\u{301}", time: time))
        }
        let a = try commit(1, on: "main", time: 1)
        let b = try commit(2, on: "main", time: 2)
        try repo.createBranch("side", at: b)
        let c = try commit(3, on: "side", time: 3)
        let d = try commit(4, on: "main", time: 4)
        let m = try repo.merge(c, policy: .fail, info("merge", time: 5)).commit
        return History(repo: repo, a: a, b: b, c: c, d: d, m: m)
    }

    @Test func parentAndAncestorSteps() throws {
        let h = try Self.history()
        let r = h.repo
        #expect(try r.commit(h.m).parents == [h.d, h.c])
        #expect(try r.resolve("HEAD") == h.m)
        #expect(try r.resolve("@") == h.m)
        #expect(try r.resolve("HEAD^") == h.d)
        #expect(try r.resolve("HEAD^1") == h.d)
        #expect(try r.resolve("HEAD^2") == h.c)
        #expect(try r.resolve("HEAD^0") == h.m)
        #expect(try r.resolve("HEAD^^") == h.b)
        #expect(try r.resolve("HEAD^2^") == h.b)
        #expect(try r.resolve("HEAD~2") == h.b)
        #expect(try r.resolve("HEAD~2^") == h.a)
        #expect(try r.resolve("main~1^") == h.b)
        #expect(try r.resolve("HEAD^2~1") == h.b)
        #expect(try r.resolve("side~") == h.b)
        #expect(throws: GraphError.unknownRevision("HEAD^3")) { try r.resolve("HEAD^3") }
        #expect(throws: GraphError.unknownRevision("HEAD~1^2")) { try r.resolve("HEAD~1^2") }
        #expect(throws: GraphError.unknownRevision("HEAD~4")) { try r.resolve("HEAD~4") }
        #expect(throws: GraphError.unknownRevision("HEAD~99999999999")) { try r.resolve("HEAD~99999999999") }
        #expect(throws: GraphError.unknownRevision("HEAD^x")) { try r.resolve("HEAD^x") }
    }

    @Test func fullRefNamesAndCIDs() throws {
        let h = try Self.history()
        let r = h.repo
        #expect(try r.resolve("refs/heads/side") == h.c)
        #expect(try r.resolve("refs/heads/main^2") == h.c)
        #expect(throws: GraphError.unknownRevision("refs/heads/nope")) { try r.resolve("refs/heads/nope") }
        #expect(try r.resolve(h.d.description) == h.d)
        #expect(try r.resolve("\(h.d)^") == h.b)
    }

    @Test func reflogPositions() throws {
        let h = try Self.history()
        let r = h.repo
        // main moved a, b, d, m: @{0} is m, @{3} is a.
        #expect(try r.resolve("@{0}") == h.m)
        #expect(try r.resolve("@{1}") == h.d)
        #expect(try r.resolve("main@{2}") == h.b)
        #expect(try r.resolve("HEAD@{3}") == h.a)
        #expect(try r.resolve("refs/heads/main@{3}") == h.a)
        #expect(try r.resolve("main@{1}~1") == h.b)
        #expect(try r.resolve("side@{1}") == h.b)
        #expect(throws: GraphError.unknownRevision("@{4}")) { try r.resolve("@{4}") }
        #expect(throws: GraphError.unknownRevision("main@{x}")) { try r.resolve("main@{x}") }
        // A deleted branch's last commit stays reachable through its reflog.
        try r.deleteBranch("side")
        #expect(throws: GraphError.unknownRevision("side@{0}")) { try r.resolve("side@{0}") }
        #expect(try r.resolve("side@{1}") == h.c)
    }

    @Test func uniquePrefixesResolveAndAmbiguousOnesListTheCandidates() throws {
        let h = try Self.history()
        let r = h.repo
        let all = [h.a, h.b, h.c, h.d, h.m]
        #expect(try r.knownCommits() == Set(all))
        let length = try r.shortCIDLength(minimum: 1)
        // The reference: the shortest length at which every pair differs.
        let texts = all.map(\.description)
        let expected = (1...texts[0].count).first { n in Set(texts.map { $0.prefix(n) }).count == texts.count }
        #expect(length == expected)
        for c in all {
            #expect(try r.resolve(String(c.description.prefix(max(length, 4)))) == c)
            #expect(try r.resolve(String(c.description.prefix(12)) + "^0") == c)
        }
        // Every CID here starts with the same multibase/CID header: a short prefix is ambiguous.
        let shared = String(texts[0].prefix(4))
        do {
            _ = try r.resolve(shared)
            Issue.record("'\(shared)' resolved")
        } catch {
            guard case .ambiguousRevision(let rev, let candidates) = error else { throw error }
            #expect(rev == shared)
            #expect(candidates == all.sorted { $0.description < $1.description })
            #expect(error.description.contains(h.a.description))
        }
        #expect(throws: GraphError.unknownRevision("bzzzzzzz")) { try r.resolve("bzzzzzzz") }
        #expect(throws: GraphError.unknownRevision("baf")) { try r.resolve("baf") }
    }
}
