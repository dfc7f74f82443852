import EngramTestSupport
import Foundation
import Testing

/// The MCP server behind `engram serve`'s `/mcp`, driven by the Python `mcp` package's
/// Streamable HTTP client (`Fixtures/mcp/e2e.py ... http`): the same scenarios as over stdio,
/// plus the HTTP errors and a push racing the tool calls.
// Never skipped: `scripts/test.sh` installs python3 and venv, and without them these tests fail.
@Suite(.serialized)
struct HTTPEndToEndTests {
    @Test func everyToolChecked() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("tools", repo, transport: "http")
        try EndToEndTests.fsck(repo)
    }

    @Test func badInputGetsErrorResultsAndTheServerKeepsServing() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("bad", repo, transport: "http")
    }

    @Test func missingTokenBadBodiesAndUnknownSessionsGetTypedHTTPErrors() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("http_errors", repo, transport: "http")
    }

    /// Two sessions commit 100 times each while another repository pushes 20 commits to a
    /// branch of the same server: nothing lost, fsck clean.
    @Test func twoSessionsAndAPushLoseNothing() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("concurrent", repo, transport: "http")
        try EndToEndTests.fsck(repo)
        let log = try CLIRunner.run(["-C", repo, "log", "--first-parent", "-n", "1000", "--json"])
        #expect(log.status == 0)
        #expect(log.output.split(separator: "\n").count == 201, "\(log.output.prefix(500))")
        let side = try CLIRunner.run(["-C", repo, "log", "side", "-n", "1000", "--json"])
        #expect(side.status == 0, "\(side.stderr)")
        #expect(side.output.split(separator: "\n").count == 20, "\(side.output.prefix(500))")
    }

    @Test func anotherSessionCommitIsAnnouncedAsAResourceUpdate() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("notify", repo, transport: "http")
    }

    @Test func serveStopsWhileASessionHoldsItsNotificationStream() throws {
        let repo = try EndToEndTests.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try EndToEndTests.scenario("shutdown", repo, transport: "http")
    }
}
