import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// The README's Swift example, verbatim in substance, so that it keeps compiling and working.
struct ReadmeExampleTests {
    struct Results {
        var found: [EntityID]
        var neighbours: [Neighbor]
        var pref: EntityID
        var second: CID
        var changes: GraphDiff
        var outcome: MergeOutcome
        var repo: Repository
    }

    static func example(at path: String) throws -> Results {
        // --- README ---
        let repo = try Repository.openOrCreate(at: path)       // memory/.engram/, as `engram init` makes it
        var tx = try repo.transaction()                         // on the current branch (main)
        let ada = tx.addNode(label: "Person", props: ["name": "Ada"])
        let pref = tx.addNode(label: "Preference", props: ["topic": "theme", "value": "dark"])
        _ = tx.addEdge(from: ada, "PREFERS", to: pref)
        let first = try repo.commit(tx, CommitInfo(author: "agent-1", message: "first session"))

        let now = try repo.snapshot(first)
        var prefs = try now.nodes(label: "Preference", where: "topic", equals: "theme")
        let found = try prefs.collect()
        var out = try now.neighbors(ada, .out, label: "PREFERS")
        let neighbours = try out.collect()

        try repo.createBranch("explore", at: first, force: true) // branch (moved there on a rerun), change, diff, merge
        var alt = try repo.transaction(on: "explore")
        try alt.updateNode(pref, props: .patch(["value": "light"]))
        let second = try repo.commit(alt, CommitInfo(author: "agent-1", message: "hypothesis"))
        let changes = try repo.diff(first, second)
        let outcome = try repo.merge(second, into: "main", CommitInfo(author: "agent-1", message: "merge"))
        // --- end ---
        return Results(found: found, neighbours: neighbours, pref: pref, second: second, changes: changes, outcome: outcome, repo: repo)
    }

    /// Run twice over the same directory (a program that starts again over its memory): the
    /// second run opens what the first made, and neither traps.
    @Test func readmeExampleRunsAsDocumentedTwice() throws {
        let path = TestDirectory.path("engram-readme")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var previous: Set<EntityID> = []
        for run in 0..<2 {
            let r = try Self.example(at: path)
            // Each run's query sees the preferences of every run so far.
            #expect(Set(r.found) == previous.union([r.pref]), "run \(run)")
            previous.insert(r.pref)
            #expect(r.neighbours.map(\.node) == [r.pref])
            #expect(!r.changes.isEmpty)
            #expect(r.outcome == .fastForward(r.second))
            #expect(try r.repo.snapshot(try r.repo.head()).node(r.pref)?.props["value"] == .string("light"))
            try (r.repo.store as? FileBlockStore)?.close()
        }
        // The store is where `engram init` puts it, so the command line opens it.
        #expect(FileManager.default.fileExists(atPath: path + "/.engram/HEADER"))
        #expect(!FileManager.default.fileExists(atPath: path + "/HEADER"))
    }

    /// `create` on a directory that holds a repository is a typed error, in both layouts; `open`
    /// reads a store made in the directory itself (as `create` did before).
    @Test func createRefusesAnExistingRepositoryAndOpenReadsBothLayouts() throws {
        let path = TestDirectory.path("engram-layout")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (try Repository.create(at: path).store as? FileBlockStore)?.close()
        #expect(throws: GraphError.store(.alreadyExists(path: path))) { try Repository.create(at: path) }
        let legacy = path + "/legacy"
        let store = try FileBlockStore.create(at: legacy)
        var tx = try Repository(store: store).transaction()
        tx.addNode(label: "Old", id: RepositoryTests.id(1))
        let cid = try Repository(store: store).commit(tx, RepositoryTests.info())
        try store.close()
        #expect(throws: GraphError.store(.alreadyExists(path: legacy))) { try Repository.create(at: legacy) }
        let reopened = try Repository.openOrCreate(at: legacy)
        #expect(try reopened.head() == cid)
        #expect(!FileManager.default.fileExists(atPath: legacy + "/.engram"))
    }
}
