import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Errors as JSON with `--json` (kind, message, exit status), the `--json` forms of `tree stats`,
/// `block stat` and `gc`, "did you mean", and `--version`.
@Suite(.serialized)
struct ErrorOutputCLITests {
    /// The `error` object of a failed run's standard error, which must be exactly one JSON line.
    static func jsonError(_ r: CLIResult) throws -> IPLD {
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(r.stderr)")
        let value = try DAGJSON.decode(String(lines.first ?? ""))
        return try #require(value["error"], "\(r.stderr)")
    }

    @Test func errorsAreJSONWithTheirKindAndExitStatus() throws {
        let repo = CLIRepository()
        defer { repo.remove() }
        try repo.ok(["init", repo.dir])
        let unborn = try repo.run(["show", "--json"])
        #expect(unborn.status == 4)
        #expect(try Self.jsonError(unborn)["case"] == .string("GraphError.unbornBranch"))
        try repo.commit([CLIRepository.putNode(CLIRepository.id(1), "N")], message: "one", time: 1)
        // (arguments, exit status, kind)
        let cases: [([String], Int, String)] = [
            (["log", "--json", "nosuch"], 4, "not_found"),
            (["node", "get", CLIRepository.id(7), "--json"], 4, "not_found"),
            (["block", "stat", "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", "--json"], 4, "not_found"),
            (["log", "--json", "-n", "many"], 2, "usage"),
            (["log", "--json", "--oneline"], 2, "usage"),
            (["tree", "stats", "--json", "not-a-cid"], 2, "usage"),
        ]
        for (args, status, kind) in cases {
            let r = try repo.run(args)
            #expect(Int(r.status) == status, "\(args): \(r.stderr)")
            let error = try Self.jsonError(r)
            #expect(error["kind"] == .string(kind), "\(args)")
            #expect(error["exit_status"] == .int(status), "\(args)")
            #expect(error["message"]?.stringValue?.isEmpty == false, "\(args)")
            #expect(r.output.isEmpty, "\(args): nothing on standard output")
        }
        #expect(try Self.jsonError(try repo.run(["log", "--json", "nosuch"]))["revision"] == .string("nosuch"))
        // A reason that was another error names that error's case as `cause`.
        let broken = try repo.run(["apply", "--json", "-m", "broken"], stdin: #"{"op":"put-node","label":"caf\u00e9","props":{"#)
        #expect(broken.status == 1)
        let brokenError = try Self.jsonError(broken)
        #expect(brokenError["case"] == "GraphError.invalidChange")
        #expect(brokenError["cause"] == "DAGJSONError")
        #expect(brokenError["message"]?.stringValue?.hasPrefix("change on line 1: ") == true)
        // Without --json the same error is one line of text.
        let text = try repo.run(["log", "nosuch"])
        #expect(text.status == 4 && text.stderr.contains("unknown revision 'nosuch'") && !text.stderr.hasPrefix("{"))
        // Outside a repository.
        let outside = try CLIRunner.run(["status", "--json", "-C", repo.dir + "/nowhere"])
        #expect(outside.status != 0)
        #expect(try Self.jsonError(outside)["message"]?.stringValue?.contains("not an Engram repository") == true)
    }

    @Test func statsGCApplyAndCommitHaveJSONForms() throws {
        let repo = CLIRepository()
        defer { repo.remove() }
        try repo.ok(["init", repo.dir])
        let cid = try repo.commit([CLIRepository.putNode(CLIRepository.id(1), #"N\u0000\u00e9"#)], message: "one", time: 1)
        let show = try DAGJSON.decode(try repo.ok(["show", "--json"]).trimmingCharacters(in: .newlines))
        let nodesRoot = try #require(show["nodes"]?.stringValue)

        let tree = try DAGJSON.decode(try repo.ok(["tree", "stats", nodesRoot, "--json"]).trimmingCharacters(in: .newlines))
        #expect(tree["root"] == .string(nodesRoot))
        #expect(tree["entries"] == .int(1))
        #expect(tree["height"] == .int(1))
        #expect(tree["nodes"] == .int(1))
        #expect(tree["levels"]?[0]?["entries"] == .int(1))

        let stat = try DAGJSON.decode(try repo.ok(["block", "stat", cid, "--json"]).trimmingCharacters(in: .newlines))
        #expect(stat["cid"] == .string(cid))
        #expect(stat["codec"] == .string("dag-cbor"))
        #expect(stat["size"]?.int64Value.map { $0 > 0 } == true)
        #expect(stat["location"] == .string("journal"))

        let gc = try DAGJSON.decode(try repo.ok(["gc", "--dry-run", "--json"]).trimmingCharacters(in: .newlines))
        #expect(gc["dry_run"] == .bool(true))
        #expect(gc["freed_blocks"] == .int(0))
        #expect(gc["reachable"]?.int64Value.map { $0 > 1 } == true)
        #expect(gc["blocks_before"] == gc["reachable"])

        let applied = try DAGJSON.decode(try repo.ok(["apply", "--json", "-m", "two", "--time", "2"],
                                                     stdin: CLIRepository.putNode(CLIRepository.id(2), "M") + "\n\n")
            .trimmingCharacters(in: .newlines))
        #expect(applied["lines"] == .int(2))
        let log = try repo.ok(["log", "--oneline", "--no-abbrev"]).split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(applied["commit"] == .string(log[0]) && log[1] == cid)
        let committed = try DAGJSON.decode(try repo.ok(["commit", "--json", "--allow-empty", "-m", "three"]).trimmingCharacters(in: .newlines))
        #expect(committed["commit"] == .string(try repo.ok(["log", "--oneline", "--no-abbrev", "-n", "1"]).prefix { $0 != " " }.description))
    }

    @Test func aMistypedCommandGetsASuggestion() throws {
        for (typed, meant) in [("lgo", "log"), ("comit", "commit"), ("stattus", "status"), ("brnach", "branch")] {
            let r = try CLIRunner.run([typed])
            #expect(r.status == 2, "\(typed)")
            #expect(r.stderr.contains("Did you mean '\(meant)'?"), "\(typed): \(r.stderr)")
        }
        let nested = try CLIRunner.run(["node", "ad", "--label", "x"])
        #expect(nested.status == 2 && nested.stderr.contains("'ad' is not a engram node command. Did you mean 'add'?"), "\(nested.stderr)")
        let far = try CLIRunner.run(["xyzzyplugh"])
        #expect(far.status == 2 && !far.stderr.contains("Did you mean"))
        let json = try Self.jsonError(try CLIRunner.run(["lgo", "--json"]))
        #expect(json["kind"] == .string("usage"))
        #expect(json["message"]?.stringValue?.contains("Did you mean 'log'?") == true)
        // Real commands and help still parse.
        #expect(try CLIRunner.run(["help", "log"]).status == 0)
    }

    @Test func versionPrints() throws {
        let r = try CLIRunner.run(["--version"])
        #expect(r.status == 0)
        #expect(r.output.trimmingCharacters(in: .newlines).split(separator: ".").count == 3)
    }
}
