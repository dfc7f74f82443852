import EngramTestSupport
import Foundation
import Testing

/// `-C <path>` works before the command (git's form) and after it, and `ENGRAM_REPO` too.
struct GlobalOptionCLITests {
    @Test func repositoryCanBeChosenBeforeOrAfterTheCommand() throws {
        let dir = URL(fileURLWithPath: TestDirectory.path("engram-global"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let initialized = try CLIRunner.run(["-C", dir.path, "init"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".engram").path))
        let before = try CLIRunner.run(["-C", dir.path, "stats", "--json"])
        let after = try CLIRunner.run(["stats", "--json", "-C", dir.path])
        let env = try CLIRunner.run(["stats", "--json"], environment: ["ENGRAM_REPO": dir.path])
        #expect(before.status == 0 && after.status == 0 && env.status == 0)
        #expect(before.output == after.output && after.output == env.output)
        let missing = try CLIRunner.run(["-C", dir.appendingPathComponent("nowhere").path, "stats"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not an Engram repository"))
        let dangling = try CLIRunner.run(["-C"])
        #expect(dangling.status != 0)
    }
}
