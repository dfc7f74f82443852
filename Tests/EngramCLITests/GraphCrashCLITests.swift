import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Graph commits through the CLI killed with SIGKILL at random moments: `engram commit` of
/// staged `node add` / `edge add` changes and `engram apply` of change streams run as child
/// processes on one repository, and each is killed somewhere in its run (start-up, recovery,
/// tree writes, the journal append, the sync, the print). After every kill `fsck` is clean,
/// every commit whose CID a child printed is in `log` with the contents it was given, and the
/// repository goes on taking commits.
@Suite(.serialized)
struct GraphCrashCLITests {
    /// The seed of the run's choices (kill moments also depend on timing); printed on failure.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["ENGRAM_CRASH_SEED"].flatMap { UInt64($0) } ?? 0x9E37_79B9_7F4A_7C15
    static let killsWanted = 200

    /// Text that must come back byte for byte: non-ASCII, NFC and NFD spellings of one word,
    /// astral characters; `withNUL` adds NUL-containing text (JSON can carry it, `argv` cannot).
    static func text(_ rng: inout SplitMix64, withNUL: Bool) -> String {
        var parts = ["Caf\u{e9}", "Cafe\u{301}", "\u{6c34}", "\u{10151}", "a", "Z", " ", "\u{1F600}", "\u{212B}", "\u{c5}"]
        if withNUL { parts += ["\u{0}", "n\u{0}b"] }
        return (0..<Int.random(in: 1...4, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined()
    }

    static func props(_ rng: inout SplitMix64, withNUL: Bool) -> IPLDMap {
        var props = IPLDMap()
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let value: IPLD = Bool.random(using: &rng) ? .string(text(&rng, withNUL: true)) : .int(Int64.random(in: -1000...1000, using: &rng))
            props[text(&rng, withNUL: withNUL)] = value
        }
        return props
    }

    static func id(_ n: Int) -> String {
        "01890000-0000-7000-8000-" + String(String(n, radix: 16).reversed()).padding(toLength: 12, withPad: "0", startingAt: 0)
    }

    /// A node a printed commit must hold: its id, label and properties.
    struct Expected {
        var id: String
        var label: String
        var props: IPLDMap
        var json: IPLD { .map(IPLDMap(uniqueKeysWithValues: [("id", .string(id)), ("label", .string(label)), ("props", .map(props))])) }
    }

    final class Harness {
        let dir = TestDirectory.make("engram-crash-cli")
        var rng = SplitMix64(seed: GraphCrashCLITests.seed)
        var nextID = 1
        /// Printed commits, with a node each must hold.
        var printed: [(cid: String, node: Expected, run: Int)] = []
        /// Typical uninterrupted run times of `commit` and `apply` children, in microseconds.
        var durations: [Bool: [Int]] = [:]

        var repo: String { dir + "/repo" }

        func context(_ run: Int) -> String { "seed \(GraphCrashCLITests.seed), run \(run)" }

        /// Runs `engram <command> -C repo rest...`, expecting success.
        @discardableResult
        func ok(_ command: [String], _ rest: [String] = [], _ run: Int) throws -> String {
            let r = try CLIRunner.run(command + ["-C", repo] + rest)
            #expect(r.status == 0, "\(context(run)): engram \((command + rest).joined(separator: " ")): \(r.stderr)")
            return r.output
        }

        /// Stages some nodes and an edge between two of them; returns the child's arguments and
        /// a node the commit will hold.
        func stageCommit(_ run: Int) throws -> ([String], Expected) {
            var staged: [Expected] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let node = Expected(id: GraphCrashCLITests.id(nextID), label: GraphCrashCLITests.text(&rng, withNUL: false),
                                    props: GraphCrashCLITests.props(&rng, withNUL: false))
                nextID += 1
                try ok(["node", "add"], ["--id", node.id, "--label", node.label, "--props", try DAGJSON.encodeString(.map(node.props))], run)
                staged.append(node)
            }
            if staged.count >= 2 {
                try ok(["edge", "add"], [staged[0].id, GraphCrashCLITests.text(&rng, withNUL: false), staged[1].id,
                                         "--props", try DAGJSON.encodeString(.map(GraphCrashCLITests.props(&rng, withNUL: false)))], run)
            }
            return (["commit", "-C", repo, "-m", "commit \(run) \u{e9}"], staged.randomElement(using: &rng)!)
        }

        /// Writes a change stream of nodes and edges among them; returns the child's arguments
        /// and a node the commit will hold.
        func stageApply(_ run: Int) throws -> ([String], Expected) {
            var nodes: [Expected] = []
            var lines: [String] = []
            for _ in 0..<Int.random(in: 2...40, using: &rng) {
                let node = Expected(id: GraphCrashCLITests.id(nextID), label: GraphCrashCLITests.text(&rng, withNUL: true),
                                    props: GraphCrashCLITests.props(&rng, withNUL: true))
                nextID += 1
                nodes.append(node)
                lines.append(try DAGJSON.encodeString(["op": "put-node", "id": .string(node.id), "label": .string(node.label), "props": .map(node.props)]))
            }
            for _ in 0..<Int.random(in: 0...nodes.count, using: &rng) {
                let src = nodes.randomElement(using: &rng)!, dst = nodes.randomElement(using: &rng)!
                lines.append(try DAGJSON.encodeString(["op": "put-edge", "src": .string(src.id), "dst": .string(dst.id),
                                                       "label": .string(GraphCrashCLITests.text(&rng, withNUL: true)),
                                                       "props": .map(GraphCrashCLITests.props(&rng, withNUL: true))]))
            }
            let file = dir + "/changes-\(run).jsonl"
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
            return (["apply", "-C", repo, "-m", "apply \(run) \u{6c34}e\u{301}", file], nodes.randomElement(using: &rng)!)
        }

        /// How long to let a child run: its whole run for the first few of each kind (to learn
        /// how long one takes), then a random moment within a typical run, two times in three
        /// in its second half (past start-up: the tree writes, the journal append, the sync and
        /// the print), so that kills land on both sides of each commit's durable point.
        func killDelay(apply: Bool) -> Int? {
            let seen = durations[apply, default: []]
            guard seen.count >= 3 else { return nil }
            let typical = seen.sorted()[seen.count / 2]
            let from = Int.random(in: 0..<3, using: &rng) == 0 ? 0 : typical / 2
            return Int.random(in: from...typical * 23 / 20, using: &rng)
        }

        /// Every printed commit is in `log` of `main` and holds the node it was given, `fsck` is clean.
        func check(_ run: Int) throws {
            let fsck = try CLIRunner.run(["fsck", "-C", repo])
            #expect(fsck.status == 0, "\(context(run)): fsck after the kill: \(fsck.output) \(fsck.stderr)")
            let log = Set(try ok(["log", "--oneline", "--no-abbrev"], ["main"], run).split(separator: "\n").map { String($0.prefix { $0 != " " }) })
            for p in printed where !log.contains(p.cid) {
                Issue.record("\(context(run)): commit \(p.cid) printed by run \(p.run) is not in the log of main")
            }
        }

        func checkContents(of p: (cid: String, node: Expected, run: Int)) throws {
            let got = try DAGJSON.decode(try ok(["node", "get"], [p.node.id, "--at", p.cid, "--json"], p.run).trimmingCharacters(in: .newlines))
            #expect(got == p.node.json, "\(context(p.run)): node \(p.node.id) at printed commit \(p.cid)")
        }
    }

    @Test func sigkilledCommitsAndAppliesLoseNoPrintedCommit() throws {
        let h = Harness()
        defer { TestDirectory.remove(h.dir) }
        try FileManager.default.createDirectory(atPath: h.repo, withIntermediateDirectories: true)
        try h.ok(["init"], [], 0)
        var kills = 0, run = 0
        while kills < Self.killsWanted && run < Self.killsWanted * 3 {
            run += 1
            let apply = Bool.random(using: &h.rng)
            let (args, node) = apply ? try h.stageApply(run) : try h.stageCommit(run)
            let delay = h.killDelay(apply: apply)
            let started = DispatchTime.now().uptimeNanoseconds
            let child = try CLIChild(args)
            if let delay {
                usleep(UInt32(delay))
                child.kill()
            }
            let (result, killed) = child.finish()
            if killed { kills += 1 } else {
                #expect(result.status == 0, "\(h.context(run)): engram \(args[0]) failed: \(result.stderr)")
                if delay == nil { h.durations[apply, default: []].append(Int(DispatchTime.now().uptimeNanoseconds - started) / 1000) }
            }
            // A CID counts as printed only once its whole line is out.
            let text = result.output
            if text.hasSuffix("\n"), let line = text.split(separator: "\n").last {
                let cid = String(line)
                #expect(CID(cid) != nil, "\(h.context(run)): printed \(cid)")
                h.printed.append((cid, node, run))
                try h.checkContents(of: (cid, node, run))
            }
            try h.check(run)
        }
        #expect(kills >= Self.killsWanted, "seed \(Self.seed): only \(kills) of \(run) children were killed while running")
        // Children that finished and printed, so the reachability checks were not vacuous.
        #expect(h.printed.count >= 10, "seed \(Self.seed): only \(h.printed.count) commits printed")
        // The repository still takes commits, and every printed one still holds its node.
        let (args, node) = try h.stageCommit(run + 1)
        let last = try CLIRunner.run(args)
        try #require(last.status == 0, "seed \(Self.seed): commit after the kills: \(last.stderr)")
        h.printed.append((last.output.trimmingCharacters(in: .newlines), node, run + 1))
        try h.check(run + 1)
        for p in h.printed { try h.checkContents(of: p) }
        let commits = try h.ok(["log", "--oneline", "--no-abbrev"], ["main"], run + 1).split(separator: "\n").count
        print("GraphCrashCLITests: seed \(Self.seed): \(run) runs, \(kills) killed while running, \(h.printed.count) commits printed, "
              + "\(commits) in the log, typical run \(h.durations.mapValues { $0.sorted()[$0.count / 2] }) µs")
    }
}
