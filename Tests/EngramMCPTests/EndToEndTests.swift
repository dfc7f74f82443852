import EngramTestSupport
import Foundation
import Testing

/// `engram mcp` driven by an independent client: the Python `mcp` package from PyPI
/// (`Fixtures/mcp/python-env.sh` installs it into `.build/python-venv-mcp`), running the scenarios
/// of `Fixtures/mcp/e2e.py`, which check every result against what was written.
// Never skipped: `scripts/test.sh` installs python3 and venv, and without them these tests fail.
@Suite(.serialized)
struct EndToEndTests {
    static let python: Result<URL, Error> = Result {
        let result = try CLIRunner.run(
            [TestFixtures.project.appendingPathComponent("mcp/python-env.sh").path], program: URL(fileURLWithPath: "/bin/bash"))
        guard result.status == 0 else {
            throw TestFixtures.FixtureError.missing("the Python mcp client (run scripts/install-deps.sh for python3 and venv): \(result.stderr)")
        }
        return URL(fileURLWithPath: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A new repository, and its path.
    static func repository() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("engram-mcp-\(UUID().uuidString)").path
        let result = try CLIRunner.run(["init", path])
        guard result.status == 0 else { throw TestFixtures.FixtureError.malformed("engram init: \(result.stderr)") }
        return path
    }

    /// Runs scenario `name` of e2e.py on `repository`, over stdio (`engram mcp`) or over HTTP
    /// (`engram serve`'s /mcp).
    static func scenario(_ name: String, _ repository: String, transport: String = "stdio") throws {
        let script = TestFixtures.project.appendingPathComponent("mcp/e2e.py").path
        let result = try CLIRunner.run([script, CLIRunner.executable.path, repository, name, transport], program: try python.get())
        #expect(result.status == 0, "\(result.output)\n\(result.stderr.suffix(4000))")
        #expect(result.output.contains("ok \(name)"), "\(result.output)")
        // The independent client it claims to be: the `mcp` package from PyPI, in the venv.
        #expect(result.output.contains("client mcp 1.") && result.output.contains("python-venv-mcp"), "\(result.output)")
    }

    static func fsck(_ repository: String) throws {
        let result = try CLIRunner.run(["-C", repository, "fsck"])
        #expect(result.status == 0, "fsck: \(result.output) \(result.stderr)")
    }

    @Test func everyToolChecked() throws {
        let repo = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try Self.scenario("tools", repo)
        try Self.fsck(repo)
    }

    @Test func badInputGetsErrorResultsAndTheServerKeepsServing() throws {
        let repo = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try Self.scenario("bad", repo)
    }

    @Test func twoServerProcessesCommit100TimesEachAndLoseNothing() throws {
        let repo = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try Self.scenario("concurrent", repo)
        try Self.fsck(repo)
        let log = try CLIRunner.run(["-C", repo, "log", "--first-parent", "-n", "1000", "--json"])
        #expect(log.status == 0)
        #expect(log.output.split(separator: "\n").count == 201, "\(log.output.prefix(500))")
    }

    @Test func waitZeroFailsAtOnceWhileAnotherProcessHoldsTheLock() throws {
        let repo = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try Self.scenario("nowait", repo)
    }

    @Test func anotherProcessCommitIsAnnouncedAsAResourceUpdate() throws {
        let repo = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try Self.scenario("notify", repo)
    }
}
