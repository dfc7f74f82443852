import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// A repository directory for one test and the `engram` runs on it.
struct CLIRepository {
    let dir = TestDirectory.make("engram-cli-history")

    /// `engram args... -C dir` (after the subcommand words), expecting success: standard output.
    @discardableResult
    func ok(_ args: [String], stdin: String = "", environment: [String: String] = [:]) throws -> String {
        let r = try run(args, stdin: stdin, environment: environment)
        #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
        return r.output
    }

    func run(_ args: [String], stdin: String = "", environment: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(args + ["-C", dir], stdin: Array(stdin.utf8), environment: environment)
    }

    /// Changes as `apply` lines, committed: the new commit's CID.
    @discardableResult
    func commit(_ lines: [String], message: String, time: Int) throws -> String {
        try ok(["apply", "-m", message, "--author", "t\u{E9}ster", "--time", "\(time)"], stdin: lines.joined(separator: "\n"))
            .trimmingCharacters(in: .newlines)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    static func putNode(_ id: String, _ label: String, _ props: String = "{}") -> String {
        #"{"op":"put-node","id":"\#(id)","label":"\#(label)","props":\#(props)}"#
    }

    static func putEdge(_ id: String, _ src: String, _ label: String, _ dst: String) -> String {
        #"{"op":"put-edge","id":"\#(id)","src":"\#(src)","label":"\#(label)","dst":"\#(dst)"}"#
    }

    static func id(_ n: Int) -> String { "01890000-0000-7000-8000-" + String(repeating: "0", count: 12 - String(n, radix: 16).count) + String(n, radix: 16) }
}

/// `log` formats, dates, `show` with its diff, `diff` endpoints, and revision syntax through
/// the executable, on a history with a merge:
///
///     c1 (main) - c3 (main) - m (merge of side)
///        \ c2 (side) -------/
@Suite(.serialized)
struct HistoryCLITests {
    struct History {
        let repo: CLIRepository
        let c1, c2, c3, m: String
    }

    static let t0 = 1_700_000_000_000_000

    static func history() throws -> History {
        let repo = CLIRepository()
        try repo.ok(["init", repo.dir])
        let c1 = try repo.commit([CLIRepository.putNode(CLIRepository.id(1), "Person", #"{"name":"ann"}"#),
                                  CLIRepository.putNode(CLIRepository.id(2), "Person", #"{"name":"bob"}"#),
                                  CLIRepository.putEdge(CLIRepository.id(11), CLIRepository.id(1), "knows", CLIRepository.id(2))],
                                 message: "base\n\nwith a body line\r\nand another", time: t0)
        try repo.ok(["branch", "side"])
        try repo.ok(["checkout", "side"])
        let c2 = try repo.commit([CLIRepository.putNode(CLIRepository.id(3), "Caf\u{E9}")], message: "side work", time: t0 + 1)
        try repo.ok(["checkout", "main"])
        let c3 = try repo.commit([CLIRepository.putNode(CLIRepository.id(4), "Topic")], message: "main work", time: t0 + 2)
        let merged = try repo.ok(["merge", "side", "-m", "merge side", "--time", "\(t0 + 3)", "--json"])
        let m = try #require(try DAGJSON.decode(merged.trimmingCharacters(in: .newlines))["commit"]?.stringValue)
        return History(repo: repo, c1: c1, c2: c2, c3: c3, m: m)
    }

    @Test func onelineAndGraphDrawTheMerge() throws {
        let h = try Self.history()
        defer { h.repo.remove() }
        let oneline = try h.repo.ok(["log", "--oneline"]).split(separator: "\n").map(String.init)
        #expect(oneline.count == 4)
        let short = oneline.map { String($0.prefix { $0 != " " }) }
        #expect(short.allSatisfy { $0.count >= 12 && $0.count < 59 })
        #expect(zip(short, [h.m, h.c3, h.c2, h.c1]).allSatisfy { $1.hasPrefix($0) })
        #expect(oneline[0] == "\(short[0]) (merge) merge side")
        #expect(oneline[3] == "\(short[3]) base", "only the first line of the message")
        #expect(!oneline.joined().contains("\u{1B}"), "no colour in a pipe")

        let graph = try h.repo.ok(["log", "--graph", "--oneline"]).split(separator: "\n").map(String.init)
        #expect(graph == [
            "* \(short[0]) (merge) merge side",
            "|\\",
            "* | \(short[1]) main work",
            "| * \(short[2]) side work",
            "|/",
            "* \(short[3]) base",
        ])
        // First parents only: a straight line.
        let straight = try h.repo.ok(["log", "--graph", "--oneline", "--first-parent"]).split(separator: "\n").map(String.init)
        #expect(straight == ["* \(short[0]) (merge) merge side", "* \(short[1]) main work", "* \(short[3]) base"])
        let full = try h.repo.ok(["log", "--oneline", "--no-abbrev"]).split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(full == [h.m, h.c3, h.c2, h.c1])
    }

    /// Colour on a terminal (a pseudo-terminal from util-linux `script`), none with `NO_COLOR`
    /// (and none in a pipe: see ``onelineAndGraphDrawTheMerge()``).
    @Test func colourOnlyOnATerminalWithoutNoColor() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            print("colourOnlyOnATerminalWithoutNoColor: skipped, /usr/bin/script (util-linux) is not installed")
            return
        }
        let h = try Self.history()
        defer { h.repo.remove() }
        let command = "'\(CLIRunner.executable.path)' -C '\(h.repo.dir)' log --oneline -n 1"
        let tty = try CLIRunner.run(["-qc", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""], program: script)
        #expect(tty.output.contains("\u{1B}[33m"), "\(tty.output.debugDescription) \(tty.stderr)")
        let plain = try CLIRunner.run(["-qc", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": "1"], program: script)
        #expect(plain.status == 0 && !plain.output.contains("\u{1B}"), "\(plain.output.debugDescription)")
        #expect(plain.output.contains(String(h.m.prefix(12))))
    }

    @Test func fullEntriesIndentMessagesAndShowLocalDates() throws {
        let h = try Self.history()
        defer { h.repo.remove() }
        let utc = try h.repo.ok(["log", "-n", "4"], environment: ["TZ": "UTC"])
        let entries = utc.components(separatedBy: "\n\ncommit ")
        #expect(entries.count == 4)
        #expect(utc.hasPrefix("commit "))
        #expect(utc.contains("Merge:  "))
        #expect(utc.contains("Author: t\u{E9}ster"))
        #expect(utc.contains("Date:   2023-11-14T22:13:20+00:00\n\n    base\n\n    with a body line\n    and another\n"))
        #expect(utc.contains("Date:   2023-11-14T22:13:20+00:00\n\n    merge side\n"))
        // A POSIX zone five and a half hours east: the same instant in local time.
        let east = try h.repo.ok(["log", "-n", "1", h.c1], environment: ["TZ": "XST-5:30"])
        #expect(east.contains("Date:   2023-11-15T03:43:20+05:30"))
        // --json keeps microseconds and full CIDs.
        let json = try DAGJSON.decode(try h.repo.ok(["log", "-n", "1", "--json"]).trimmingCharacters(in: .newlines))
        #expect(json["time"] == .int(Self.t0 + 3))
        #expect(json["cid"] == .string(h.m))
    }

    @Test func revisionSyntaxNamesTheExpectedCommits() throws {
        let h = try Self.history()
        defer { h.repo.remove() }
        func rev(_ r: String) throws -> String {
            let out = try h.repo.run(["log", "--oneline", "--no-abbrev", "-n", "1", r])
            #expect(out.status == 0, "\(r): \(out.stderr)")
            return String(out.output.prefix { $0 != " " })
        }
        #expect(try rev("HEAD") == h.m)
        #expect(try rev("HEAD^") == h.c3)
        #expect(try rev("HEAD^2") == h.c2)
        #expect(try rev("HEAD^2^") == h.c1)
        #expect(try rev("HEAD~2") == h.c1)
        #expect(try rev("main~1^") == h.c1)
        #expect(try rev("refs/heads/side") == h.c2)
        #expect(try rev("@{1}") == h.c3)
        #expect(try rev("main@{2}") == h.c1)
        #expect(try rev(String(h.c2.prefix(20))) == h.c2)
        let missing = try h.repo.run(["log", "HEAD^3"])
        #expect(missing.status == 4 && missing.stderr.contains("HEAD^3"))
        let ambiguous = try h.repo.run(["show", "--json", String(h.m.prefix(5))])
        #expect(ambiguous.status == 1)
        let error = try DAGJSON.decode(ambiguous.stderr.trimmingCharacters(in: .newlines))["error"]
        #expect(error?["case"] == .string("GraphError.ambiguousRevision"))
        let candidates = error?["candidates"].flatMap { v -> [String]? in
            if case .list(let l) = v { l.compactMap(\.stringValue) } else { nil }
        }
        #expect(candidates == [h.c1, h.c2, h.c3, h.m].sorted())
    }

    @Test func showDiffsAgainstTheFirstParentAndDiffPrintsEndpointsAsUUIDs() throws {
        let h = try Self.history()
        defer { h.repo.remove() }
        // The first commit: against the empty graph.
        let first = try h.repo.ok(["show", h.c1])
        #expect(first.contains("+ node \(CLIRepository.id(1)) Person"))
        #expect(first.contains("+ edge \(CLIRepository.id(11)) \(CLIRepository.id(1)) knows \(CLIRepository.id(2))"))
        #expect(first.contains("    base\n\n    with a body line\n"))
        let merge = try h.repo.ok(["show"])
        #expect(merge.contains("+ node \(CLIRepository.id(3)) Caf\u{E9}"), "the merge brought side's node against its first parent")
        #expect(!merge.contains(CLIRepository.id(4)))
        let json = try DAGJSON.decode(try h.repo.ok(["show", "--json", h.c2]).trimmingCharacters(in: .newlines))
        #expect(json["diff"]?["nodes"]?["added"]?[0]?["id"] == .string(CLIRepository.id(3)))
        #expect(json["node_count"] == .int(3))

        // An edge whose source moves: the change names both endpoints as UUIDs.
        let moved = try h.repo.commit([CLIRepository.putEdge(CLIRepository.id(11), CLIRepository.id(3), "knows", CLIRepository.id(2))],
                                      message: "move", time: Self.t0 + 4)
        let diff = try h.repo.ok(["diff", h.m, moved])
        #expect(diff == "~ edge \(CLIRepository.id(11)) src: \(CLIRepository.id(1)) -> \(CLIRepository.id(3))\n")
    }

    @Test func dotOfTheCommitDAGParsesBack() throws {
        let h = try Self.history()
        defer { h.repo.remove() }
        let dot = try DOTReader.parse(try h.repo.ok(["log", "--dot"]))
        #expect(dot.name == "commits")
        #expect(Set(dot.nodes.keys) == [h.c1, h.c2, h.c3, h.m])
        #expect(Set(dot.edges.map { "\($0.from)>\($0.to)" }) == ["\(h.m)>\(h.c3)", "\(h.m)>\(h.c2)", "\(h.c3)>\(h.c1)", "\(h.c2)>\(h.c1)"])
        #expect(dot.nodes[h.c1]?["label"]?.hasSuffix("\nbase") == true)
    }
}
