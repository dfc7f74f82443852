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
        // Human output: short CIDs (as log --oneline prints them) and ISO 8601 dates.
        let short = try #require(ok(["log", "-C", dir, "--oneline", idea]).split(separator: " ").first.map(String.init))
        #expect(short.count >= 12 && short.count < idea.count && idea.hasPrefix(short))
        #expect(!log.contains(idea))
        #expect(log.contains("-> \(short) commit: the idea"))
        #expect(log.split(separator: "\n").allSatisfy { $0.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d refs\/heads\/idea .*/) != nil })
        #expect(try ok(["reflog", "-C", dir, "--no-abbrev", "idea"]).contains("-> \(idea) commit: the idea"))
        let json = try ok(["reflog", "-C", dir, "-n", "1", "--json"])
        #expect(json.split(separator: "\n").count == 1)
        let all = try ok(["reflog", "-C", dir, "--json", "idea"]).split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(all.count == 3)
        #expect(all[1]?["new"] as? String == idea)
        #expect(all.first??["new"] is NSNull)
        #expect(Set(all.compactMap { $0.map { Set($0.keys) } }) == [["ref", "old", "new", "time", "message"]])
        #expect(all.allSatisfy { $0?["time"] is Int })
        // The commit is still there to check out.
        _ = try ok(["checkout", "-C", dir, idea])
        #expect(try CLIRunner.run(["reflog", "-C", dir, "nosuch"], stdin: []).status == 4)
    }

    /// `branch` and `merge` print short CIDs (as `log --oneline` does), whole ones with
    /// `--no-abbrev` or `--json`.
    @Test func branchAndMergePrintShortCIDs() throws {
        let dir = TestDirectory.make("engram-short-cids")
        defer { TestDirectory.remove(dir) }
        func ok(_ args: [String]) throws -> String {
            let r = try CLIRunner.run(args + ["-C", dir], stdin: [])
            #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
            return r.output
        }
        _ = try ok(["init"])
        _ = try ok(["node", "add", "--label", "Note", "--prop", "text=a"])
        _ = try ok(["commit", "-m", "base"])
        _ = try ok(["branch", "side"])
        _ = try ok(["checkout", "side"])
        _ = try ok(["node", "add", "--label", "Note", "--prop", "text=side"])
        let side = try ok(["commit", "-m", "side"]).split(separator: "\n").last.map(String.init) ?? ""
        _ = try ok(["checkout", "main"])
        _ = try ok(["node", "add", "--label", "Note", "--prop", "text=main"])
        _ = try ok(["commit", "-m", "main"])
        let merged = try ok(["merge", "side", "--time", "1"]).trimmingCharacters(in: .newlines)
        let head = try ok(["log", "--oneline", "--no-abbrev", "-n", "1"]).split(separator: " ").first.map(String.init) ?? ""
        let short = try ok(["log", "--oneline", "-n", "1"]).split(separator: " ").first.map(String.init) ?? ""
        #expect(short.count >= 12 && head.hasPrefix(short) && short != head)
        #expect(merged == "merged \(short)")
        #expect(try ok(["branch"]) == "* main \(short)\n  side \(String(side.prefix(short.count)))\n")
        #expect(try ok(["branch", "--no-abbrev"]) == "* main \(head)\n  side \(side)\n")
        let json = try ok(["branch", "--json"]).split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(json.map { $0?["head"] as? String } == [head, side])
        #expect(json.map { $0?["current"] as? Bool } == [true, false])
        // Merging again: up to date, the short CID again; with --no-abbrev the whole one.
        #expect(try ok(["merge", "side"]) == "up-to-date \(short)\n")
        #expect(try ok(["merge", "side", "--no-abbrev"]) == "up-to-date \(head)\n")
        let again = try JSONSerialization.jsonObject(with: Data(try ok(["merge", "side", "--json"]).utf8)) as? [String: Any]
        #expect(again?["commit"] as? String == head)
        #expect(again?["result"] as? String == "up-to-date")
    }
}
