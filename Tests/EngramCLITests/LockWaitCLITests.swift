#if canImport(Glibc)
import Glibc
#endif
import EngramTestSupport
import Foundation
import Testing

/// `--wait <seconds>`: a writing command refused at once while another process holds the
/// writer lock (exit 5) commits once the holder lets go when it may wait.
struct LockWaitCLITests {
    @Test func writerWaitsForTheLockWithWait() throws {
        let dir = URL(fileURLWithPath: TestDirectory.path("engram-wait"))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["-C", dir.path, "init"]).status == 0)
        #expect(try CLIRunner.run(["-C", dir.path, "node", "add", "--label", "N", "--prop", "name=Zoë"]).status == 0)
        // This process takes the store directory's lock, as a writer does.
        let fd = open(dir.appendingPathComponent(".engram").path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let refused = try CLIRunner.run(["-C", dir.path, "commit", "-m", "first"])
        #expect(refused.status == 5, "\(refused.stderr)")
        #expect(refused.stderr.contains("locked"))
        // The waiting writer gets in once the lock is released (the wait is far longer than that).
        let release = Thread { usleep(300_000); flock(fd, LOCK_UN) }
        release.start()
        let waited = try CLIRunner.run(["-C", dir.path, "commit", "-m", "first", "--wait", "120"])
        #expect(waited.status == 0, "\(waited.stderr)")
        let log = try CLIRunner.run(["-C", dir.path, "log", "--json"])
        #expect(log.output.contains("\"message\":\"first\""))
        let bad = try CLIRunner.run(["-C", dir.path, "commit", "-m", "x", "--wait", "-1"])
        #expect(bad.status != 0)
    }
}
