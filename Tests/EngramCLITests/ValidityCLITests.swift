import EngramTestSupport
import Foundation
import Testing

/// `--valid-at` and `node supersede` through the built executable (SPEC.md 7.10).
@Suite(.serialized)
struct ValidityCLITests {
    let dir = TestDirectory.path("engram-validity-cli")

    @discardableResult
    func run(_ args: [String], status: Bool = true) throws -> String {
        let r = try CLIRunner.run(GraphCLITests.withRepo(args, dir))
        #expect((r.status == 0) == status, "engram \(args.joined(separator: " ")): \(r.stderr)")
        return r.output.trimmingCharacters(in: .newlines)
    }

    @Test func supersedeThenQueryBeforeAndAfter() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ada = GraphCLITests.ann, ada2 = GraphCLITests.bob, topic = GraphCLITests.cy
        try run(["init"])
        try run(["node", "add", "--label", "Persön", "--prop", "name=Ada", "--prop", "editor=vim", "--id", ada])
        try run(["node", "add", "--label", "Topic", "--id", topic])
        try run(["edge", "add", ada, "mag", topic, "--prop", "valid_to=1704153600000000"])
        try run(["commit", "-m", "ada", "--time", "1000"])
        // 2024-01-02T00:00:00Z is 1704153600 seconds after the epoch.
        #expect(try run(["node", "supersede", ada, "--prop", "name=Ada", "--prop", "editor=helix",
                         "--time", "2024-01-02T01:00:00+01:00", "--id", ada2]) == ada2)
        try run(["commit", "-m", "helix", "--time", "2000"])
        #expect(try run(["query", "--label", "Persön", "--valid-at", "2024-01-01"]) == ada)
        #expect(try run(["query", "--label", "Persön", "--valid-at", "2024-01-02T00:00:00Z"]) == ada2)
        #expect(try run(["query", "--label", "Persön", "--valid-at", "1704153599999999"]) == ada)
        #expect(try run(["query", "--label", "Persön"]) == ada2)
        #expect(try run(["query", "--label", "Persön", "--valid-at", "any", "--count"]) == "2")
        #expect(try run(["query", "--label", "Persön", "--where", "editor=vim", "--count"]) == "0")
        #expect(try run(["query", "--label", "Persön", "--where", "editor=vim", "--valid-at", "2023-12-31T23:59:59.5Z"]) == ada)
        // The older revision still believes in vim, now too.
        #expect(try run(["query", "--label", "Persön", "--at", "HEAD~1"]) == ada)
        #expect(try run(["neighbors", ada, "--valid-at", "2024-01-01", "--count"]) == "1")
        #expect(try run(["neighbors", ada, "--count"]) == "0")
        #expect(try run(["neighbors", ada, "--valid-at", "any"]).contains(topic))
        try run(["query", "--label", "Persön", "--valid-at", "yesterday"], status: false)
        try run(["query", "--label", "Persön", "--valid-at", "2024-02-30"], status: false)
    }
}
