import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// The README's Swift example, compiled and run here. The code between the markers below must
/// be the README's snippet (checked by `readmeSnippetIsTheCodeThisTestRuns`), except that the
/// snippet's relative `"memory` directory is `"\(root)/memory` here.
struct ReadmeExampleTests {
    static func runReadmeExample(in root: String) throws {
        // --- README ---
        let repo = try Repository.openOrCreate(at: "\(root)/memory")   // memory/.engram/, as `engram init` makes it
        let (first, ids) = try repo.writeReturning(CommitInfo(author: "agent-1", message: "first session")) { tx in
            let ada = tx.addNode(label: "Person", props: ["name": "Ada"])
            let pref = tx.addNode(label: "Preference", props: ["topic": "theme", "value": "dark"])
            tx.addEdge(from: ada, "PREFERS", to: pref)
            return (ada: ada, pref: pref)
        }                                                      // one commit; a closure that throws commits nothing

        try repo.read { now in                                 // HEAD, a revision ("main~1") or read(at: cid)
            var prefs = try now.nodes(label: "Preference", where: "topic", equals: "theme")
            while let id = try prefs.next() { print(id) }      // every scan is a GraphCursor: next(), collect(), forEach
            var out = try now.neighbors(ids.ada, .out, label: "PREFERS")
            try out.forEach { print($0.node, $0.label) }
        }

        try repo.createBranch("explore", at: first, force: true) // branch (moved there on a rerun), change, diff, merge
        let second = try repo.write(on: "explore", CommitInfo(author: "agent-1", message: "hypothesis")) { tx in
            try tx.updateNode(ids.pref, props: .patch(["value": "light"]))
        }
        print(try repo.diff(first, second))
        _ = try repo.merge(second, into: "main", CommitInfo(author: "agent-1", message: "merge"))
        try repo.close()                                       // durable, and the writer lock released
        // --- end ---
    }

    /// The lines between `start` and `end` (exclusive) of `text`, without their common indent.
    static func block(_ text: String, from start: String, to end: String) -> [Substring]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let a = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == start }),
              let b = lines[(a + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == end }) else { return nil }
        let body = lines[(a + 1)..<b]
        let indent = body.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return body.map { $0.isEmpty ? $0 : $0.dropFirst(indent) }
    }

    @Test func readmeSnippetIsTheCodeThisTestRuns() throws {
        let readme = try String(contentsOf: TestFixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let snippet = try #require(Self.readmeSnippet(readme))
        let tested = try #require(Self.block(source, from: "// --- README ---", to: "// --- end ---"))
        #expect(snippet == tested.map { String($0).replacingOccurrences(of: "\"\\(root)/memory", with: "\"memory") })
    }

    /// The README's snippet that starts with `import Engram`, without its import lines.
    static func readmeSnippet(_ readme: String) -> [String]? {
        guard let start = readme.range(of: "```swift\nimport Engram\n") else { return nil }
        let rest = readme[start.upperBound...]
        guard let end = rest.range(of: "\n```\n") else { return nil }
        return rest[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).drop { $0.hasPrefix("import ") || $0.isEmpty }.map { $0 }
    }

    @Test func readmeExampleRunsAsDocumentedAndRunsAgain() throws {
        let root = TestDirectory.make("engram-readme")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.runReadmeExample(in: root)
        try Self.runReadmeExample(in: root)

        // The store is where `engram init` puts it, so the command line opens it.
        #expect(FileManager.default.fileExists(atPath: root + "/memory/.engram/HEADER"))
        let repo = try Repository.open(at: root + "/memory")
        defer { try? repo.close() }
        let history = try repo.log(from: try repo.resolve("main"))
        #expect(history.map(\.commit.message) == ["hypothesis", "first session", "hypothesis", "first session"])
        try repo.read { now in
            var prefs = try now.nodes(label: "Preference")
            let values = try prefs.collect().map { try now.node($0)?.props["value"] }
            #expect(values == [.string("light"), .string("light")])
        }
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
