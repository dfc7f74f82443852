#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// The documented exit statuses, command by command: 4 for what is not there (revision, branch,
/// node, edge, remote, block, repository), 3 for a conflict (an id or branch that exists, an
/// unmerged branch, a merge or push conflict), 5 while another process holds the writer lock.
/// Every failure leaves standard output empty and says why in one line of standard error.
@Suite(.serialized)
struct ExitStatusCLITests {
    static let a = "01890000-0000-7000-8000-00000000000a"
    static let b = "01890000-0000-7000-8000-00000000000b"
    static let edge = "01890000-0000-7000-8000-0000000000e1"
    static let missing = "01890000-0000-7000-8000-0000000000ff"
    static let absentCID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"

    /// main and side both changed `x` of node a (a merge conflict); side is not merged.
    static func forked(_ dir: String) throws {
        for args in [["init"], ["node", "add", "--label", "N", "--prop", "x=caf\u{E9}", "--id", a], ["node", "add", "--label", "N", "--id", b],
                     ["edge", "add", a, "r", b, "--id", edge], ["commit", "-m", "base"], ["branch", "side"], ["checkout", "side"],
                     ["node", "set", a, "--prop", "x=side"], ["commit", "-m", "side"], ["checkout", "main"],
                     ["node", "set", a, "--prop", "x=main \u{1F9E0}"], ["commit", "-m", "main"]] {
            let r = try CLIRunner.run(["-C", dir] + args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
    }

    /// Runs `engram -C dir args...`, expecting `status`, nothing on standard output (but for a
    /// merge's conflicts, which are its output) and one line on standard error.
    static func expect(_ args: [String], in dir: String, status: Int32) throws {
        let r = try CLIRunner.run(["-C", dir] + args)
        #expect(r.status == status, "engram \(args.joined(separator: " ")): \(r.stderr)")
        #expect(r.output.isEmpty || (args.first == "merge" && r.output.hasPrefix("conflict: ")),
                "engram \(args.joined(separator: " ")) printed \(r.output)")
        #expect(r.stderr.split(separator: "\n").count == 1, "engram \(args.joined(separator: " ")): \(r.stderr)")
    }

    @Test func whatIsNotThereExits4() throws {
        let dir = TestDirectory.make("engram-exit-notfound")
        defer { TestDirectory.remove(dir) }
        try Self.forked(dir)
        let cases: [[String]] = [
            ["log", "nosuch"], ["show", "HEAD~9"], ["diff", "nosuch"], ["diff", "main", "refs/heads/nosuch"], ["export-dot", "nosuch"],
            ["recall", "caf\u{E9}", "--at", "nosuch"], ["query", "--label", "N", "--at", "main@{99}"],
            ["node", "get", Self.missing], ["node", "set", Self.missing, "--prop", "x=1"], ["node", "rm", Self.missing],
            ["neighbors", Self.missing], ["neighbors", Self.missing, "--count"], ["neighbors", Self.a, "--at", "nosuch"],
            ["node", "supersede", Self.missing, "--label", "N"], ["edge", "get", Self.missing], ["edge", "set", Self.missing, "--prop", "x=1"],
            ["edge", "rm", Self.missing], ["edge", "add", Self.a, "r", Self.missing],
            ["checkout", "nosuch"], ["merge", "nosuch"], ["branch", "x", "--from", "nosuch"], ["branch", "-d", "nosuch"],
            ["reflog", "nosuch"], ["car", "export", "nosuch"], ["block", "get", Self.absentCID], ["block", "stat", Self.absentCID],
            ["tree", "stats", Self.absentCID], ["fetch", "nosuch"], ["pull", "nosuch"], ["push", "nosuch"], ["remote", "remove", "nosuch"],
            ["clone", dir + "/nowhere", dir + "/copy"],
        ]
        for args in cases { try Self.expect(args, in: dir, status: 4) }
        try Self.expect(["status"], in: dir + "/nowhere", status: 4)
        try Self.expect(["log"], in: dir + "/nowhere", status: 4)
        // Nothing moved: the stage is empty and main is where it was.
        #expect(try CLIRunner.run(["-C", dir, "status"]).output == "on branch main\nnothing staged\n")
    }

    @Test func conflictsExit3() throws {
        let dir = TestDirectory.make("engram-exit-conflict")
        defer { TestDirectory.remove(dir) }
        try Self.forked(dir)
        let head = try CLIRunner.run(["-C", dir, "log", "--json", "-n", "1"]).output
        for args in [["node", "add", "--label", "N", "--id", Self.a], ["edge", "add", Self.b, "r", Self.a, "--id", Self.edge],
                     ["branch", "side"], ["branch", "-d", "side"], ["merge", "side"]] {
            try Self.expect(args, in: dir, status: 3)
        }
        // A push that does not fast-forward.
        #expect(try CLIRunner.run(["clone", dir, dir + "/copy"]).status == 0)
        for (repo, text) in [(dir + "/copy", "x=copy"), (dir, "x=origin")] {
            #expect(try CLIRunner.run(["-C", repo, "node", "set", Self.b, "--prop", text]).status == 0)
            #expect(try CLIRunner.run(["-C", repo, "commit", "-m", text]).status == 0)
        }
        try Self.expect(["push"], in: dir + "/copy", status: 3)
        #expect(try CLIRunner.run(["-C", dir, "log", "--json", "-n", "2"]).output.hasSuffix(head))
    }

    /// Every writing command, while this process holds the store directory's lock as a writer.
    @Test func writersExit5WhileAnotherHoldsTheLock() throws {
        let dir = TestDirectory.make("engram-exit-locked")
        defer { TestDirectory.remove(dir) }
        try Self.forked(dir)
        #expect(try CLIRunner.run(["clone", dir, dir + "/copy"]).status == 0)
        #expect(try CLIRunner.run(["-C", dir + "/copy", "commit", "--allow-empty", "-m", "to push"]).status == 0)
        let fd = open(dir + "/.engram", O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0)
        defer { Glibc.close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let writers: [[String]] = [
            ["node", "add", "--label", "N"], ["node", "set", Self.a, "--prop", "x=1"], ["node", "rm", Self.b],
            ["node", "supersede", Self.a, "--label", "N"], ["edge", "add", Self.a, "r", Self.b], ["edge", "set", Self.edge, "--prop", "w:=1"],
            ["edge", "rm", Self.edge], ["restore", "--staged"], ["reset"], ["commit", "--allow-empty", "-m", "x"], ["apply", "-m", "x"],
            ["branch", "new"], ["branch", "-D", "side"], ["checkout", "side"], ["merge", "side", "--strategy", "ours"], ["gc"],
            ["fsck", "--repair"], ["car", "import", dir + "/none.car"],
        ]
        for args in writers { try Self.expect(args, in: dir, status: 5) }
        // Pushing into a locked repository: the receiver is locked.
        try Self.expect(["push"], in: dir + "/copy", status: 5)
        // A repository that fetches or pulls writes too.
        let copy = open(dir + "/copy/.engram", O_RDONLY | O_DIRECTORY)
        #expect(copy >= 0 && flock(copy, LOCK_EX) == 0)
        try Self.expect(["fetch"], in: dir + "/copy", status: 5)
        try Self.expect(["pull"], in: dir + "/copy", status: 5)
        Glibc.close(copy)
        // Readers are not held up.
        #expect(try CLIRunner.run(["-C", dir, "log", "--oneline"]).status == 0)
        #expect(try CLIRunner.run(["-C", dir, "fsck"]).status == 0)
        flock(fd, LOCK_UN)
        #expect(try CLIRunner.run(["-C", dir, "status"]).output == "on branch main\nnothing staged\n")
    }
}
