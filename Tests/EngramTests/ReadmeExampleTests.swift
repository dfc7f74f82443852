import Engram
import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// The README's Swift example, verbatim in substance, so that it keeps compiling and working.
struct ReadmeExampleTests {
    @Test func readmeExampleRunsAsDocumented() throws {
        let path = TestDirectory.path("engram-readme")
        defer { try? FileManager.default.removeItem(atPath: path) }

        // --- README ---
        let repo = try Repository.create(at: path)             // .engram/ inside, sha2-256
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

        try repo.createBranch("explore", at: first)             // branch, change, diff, merge
        var alt = try repo.transaction(on: "explore")
        try alt.updateNode(pref, props: .patch(["value": "light"]))
        let second = try repo.commit(alt, CommitInfo(author: "agent-1", message: "hypothesis"))
        let changes = try repo.diff(first, second)
        let outcome = try repo.merge(second, into: "main", CommitInfo(author: "agent-1", message: "merge"))
        // --- end ---

        #expect(found == [pref])
        #expect(neighbours.map(\.node) == [pref])
        #expect(!changes.isEmpty)
        #expect(outcome == .fastForward(second))
        #expect(try repo.snapshot(try repo.head()).node(pref)?.props["value"] == .string("light"))
    }
}
