import EngramTestSupport
import Foundation
import Testing

/// `engram reflog`: a deleted branch's commit can be found again and checked out.
struct ReflogCLITests {
    @Test func aDeletedBranchsCommitIsFoundInTheReflog() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-reflog-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func ok(_ args: [String]) throws -> String {
            let r = try CLIRunner.run(args, stdin: [])
            #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
            return r.output
        }
        _ = try ok(["init", dir])
        _ = try ok(["node", "add", "-C", dir, "--label", "Note", "--prop", "text=caf\u{E9}"])
        _ = try ok(["commit", "-C", dir, "-m", "base"])
        _ = try ok(["branch", "-C", dir, "idea"])
        _ = try ok(["checkout", "-C", dir, "idea"])
        _ = try ok(["node", "add", "-C", dir, "--label", "Note", "--prop", "text=nul\u{0}idea"])
        let idea = try ok(["commit", "-C", dir, "-m", "the idea"]).split(separator: "\n").last.map(String.init) ?? ""
        _ = try ok(["checkout", "-C", dir, "main"])
        // Not merged into main: -d refuses, -D deletes.
        #expect(try CLIRunner.run(["branch", "-C", dir, "-d", "idea"], stdin: []).status == 3)
        _ = try ok(["branch", "-C", dir, "-D", "idea"])

        let log = try ok(["reflog", "-C", dir, "refs/heads/idea"])
        #expect(log.split(separator: "\n").first?.contains("-> (none)") == true, "newest first: the deletion")
        #expect(log.contains("(none) -> \(idea)") == false)
        #expect(log.contains("-> \(idea) commit: the idea"))
        let json = try ok(["reflog", "-C", dir, "-n", "1", "--json"])
        #expect(json.split(separator: "\n").count == 1)
        // The commit is still there to check out.
        _ = try ok(["checkout", "-C", dir, idea])
        #expect(try CLIRunner.run(["reflog", "-C", dir, "nosuch"], stdin: []).status == 4)
    }
}
