import EngramTestSupport
import Foundation
import Testing

/// `engram remote`, `clone`, `fetch`, `pull` and `push` between repositories in directories.
@Suite(.serialized)
struct SyncCLITests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-sync-cli-\(UUID())").path

    @discardableResult
    func ok(_ args: [String]) throws -> String {
        let r = try CLIRunner.run(args, stdin: "")
        #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
        return r.output
    }

    func fails(_ args: [String]) throws -> String {
        let r = try CLIRunner.run(args, stdin: "")
        #expect(r.status != 0, "engram \(args.joined(separator: " ")) should fail")
        return r.stderr
    }

    func head(_ repo: String) throws -> String {
        String(try ok(["log", "--oneline", "--no-abbrev", "-C", repo, "-n", "1"]).split(separator: " ").first ?? "")
    }

    @Test func cloneEditPushPullRoundTrip() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a", b = dir + "/b", c = dir + "/c"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ok(["init", a])
        try ok(["node", "add", "-C", a, "--label", "Person", "--prop", "name=Ada Lovelace \u{1F9E0}"])
        try ok(["commit", "-C", a, "-m", "first"])
        let cloned = try ok(["clone", a, b, "--json", "--stats"])
        #expect(cloned.contains("\"round_trips\":2"))
        #expect(try head(b) == head(a))
        #expect(try ok(["remote", "list", "-C", b]).hasPrefix("origin\t/"))

        try ok(["node", "add", "-C", b, "--label", "Note", "--prop", "text=cafe\u{301}"])
        try ok(["commit", "-C", b, "-m", "from b"])
        let pushed = try ok(["push", "-C", b, "--stats"])
        #expect(pushed.contains("refs/heads/main"))
        #expect(try head(a) == head(b))

        // C clones, A moves on, B's stale push is refused, then B pulls and pushes again.
        try ok(["clone", a, c])
        try ok(["node", "add", "-C", a, "--label", "Person", "--prop", "name=Grace"])
        try ok(["commit", "-C", a, "-m", "on a"])
        try ok(["node", "add", "-C", b, "--label", "Person", "--prop", "name=Edsger"])
        try ok(["commit", "-C", b, "-m", "on b"])
        let refused = try CLIRunner.run(["push", "-C", b], stdin: "")
        #expect(refused.status == 3, "a push that does not fast-forward exits 3 (conflict)")
        #expect(refused.stderr.contains("does not descend"))
        #expect(try CLIRunner.run(["log", "-C", b, "nosuch"], stdin: "").status == 4)
        let pulled = try ok(["pull", "-C", b, "-m", "merge a"])
        #expect(pulled.contains("merged"))
        try ok(["push", "-C", b])
        #expect(try head(a) == head(b))
        let ff = try ok(["pull", "-C", c])
        #expect(ff.contains("fast-forward"))
        #expect(try head(c) == head(a))
        for repo in [a, b, c] { try ok(["fsck", "-C", repo]) }
        #expect(try fails(["fetch", "-C", b, "nowhere"]).contains("no remote 'nowhere'"))
        #expect(try fails(["remote", "add", "-C", b, "bad/name", a]).contains("invalid remote name"))
    }

    @Test func carExportAndImportThroughFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a", b = dir + "/b"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ok(["init", a])
        try ok(["node", "add", "-C", a, "--label", "Person", "--prop", "name=nul\u{0}byte"])
        try ok(["commit", "-C", a, "-m", "first"])
        try ok(["node", "add", "-C", a, "--label", "Person", "--prop", "name=\u{65E5}\u{672C}"])
        try ok(["commit", "-C", a, "-m", "second"])
        try ok(["car", "export", "-C", a, "main~1", "-o", dir + "/base.car"])
        try ok(["car", "export", "-C", a, "main", "--since", "main~1", "-o", dir + "/inc.car"])
        try ok(["init", b])
        #expect(try fails(["car", "import", "-C", b, dir + "/inc.car", "--ref", "main"]).contains("neither received nor stored"))
        try ok(["car", "import", "-C", b, dir + "/base.car", "--ref", "main"])
        try ok(["car", "import", "-C", b, dir + "/inc.car", "--ref", "main"])
        #expect(try head(b) == head(a))
        try ok(["fsck", "-C", b])
        // A truncated archive is refused, naming the offset, and nothing moves.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/inc.car"))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: dir + "/cut.car"))
        #expect(try fails(["car", "import", "-C", b, dir + "/cut.car"]).contains("truncated"))
        #expect(FileManager.default.fileExists(atPath: dir + "/base.car"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/base.car.tmp"))
    }
}
