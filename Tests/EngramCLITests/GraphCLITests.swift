import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// The graph commands end to end, through the built executable, on a fresh repository each.
@Suite(.serialized)
struct GraphCLITests {
    let dir = TestDirectory.path("engram-graph-cli")

    static let ann = "01890000-0000-7000-8000-00000000000a"
    static let bob = "01890000-0000-7000-8000-00000000000b"
    static let cy = "01890000-0000-7000-8000-00000000000c"

    /// Runs `engram -C dir args...`, expecting success, and returns standard output.
    @discardableResult
    func ok(_ args: [String], stdin: String = "") throws -> String {
        let r = try CLIRunner.run(Self.withRepo(args, dir), stdin: stdin)
        #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
        return r.output
    }

    /// Runs a command expected to fail and returns its standard error.
    func fails(_ args: [String], stdin: String = "") throws -> String {
        let r = try CLIRunner.run(Self.withRepo(args, dir), stdin: stdin)
        #expect(r.status != 0, "engram \(args.joined(separator: " ")) should fail")
        return r.stderr
    }

    /// Puts `-C dir` after the subcommand words (options go with the leaf command).
    static func withRepo(_ args: [String], _ dir: String) -> [String] {
        let groups: Set<String> = ["node", "edge"]
        let split = groups.contains(args[0]) ? 2 : 1
        return Array(args.prefix(split)) + ["-C", dir] + Array(args.dropFirst(split))
    }

    static func line(_ s: String) -> String { s.trimmingCharacters(in: .newlines) }

    @Test func stagedChangesCommitAndReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "Person", "--prop", "name=ann", "--prop", "age:=30", "--id", Self.ann])
        try ok(["node", "add", "--label", "Person", "--props", #"{"name":"bob","age":41}"#, "--id", Self.bob])
        let edge = Self.line(try ok(["edge", "add", Self.ann, "knows", Self.bob, "--prop", "since=2020"]))
        #expect(try ok(["status"]).contains("put-edge \(edge)"))
        let c1 = Self.line(try ok(["commit", "-m", "first", "--author", "tester", "--time", "1000"]))
        #expect(c1.hasPrefix("bafyrei"))
        #expect(try ok(["status"]).contains("nothing staged"))
        let node = try DAGJSON.decode(try ok(["node", "get", Self.ann, "--json"]).trimmingCharacters(in: .newlines))
        #expect(node == ["id": .string(Self.ann), "label": "Person", "props": ["age": 30, "name": "ann"]])
        try ok(["node", "set", Self.ann, "--prop", "age:=31", "--unset", "name"])
        let c2 = Self.line(try ok(["commit", "-m", "second", "--author", "tester", "--time", "2000"]))
        #expect(Self.line(try ok(["query", "--label", "Person", "--where", "age:=31"])) == Self.ann)
        #expect(Self.line(try ok(["query", "--label", "Person", "--range", "age:31:"])).split(separator: "\n").count == 2)
        #expect(Self.line(try ok(["query", "--label", "Person", "--count"])) == "2")
        #expect(try ok(["neighbors", Self.ann]).contains(Self.bob))
        #expect(try ok(["neighbors", Self.bob, "--in", "--label", "knows"]).contains(Self.ann))
        #expect(try ok(["neighbors", Self.bob]).isEmpty)
        let diff = try DAGJSON.decode(Self.line(try ok(["diff", "HEAD~1", "HEAD", "--json"])))
        #expect(diff["nodes"]?["changed"]?[0]?["id"] == .string(Self.ann))
        #expect(try ok(["diff", c1, c2]).contains("props.age: 30 -> 31"))
        let log = try ok(["log", "--json"]).split(separator: "\n").map { try DAGJSON.decode(String($0)) }
        #expect(log.map { $0["cid"]?.stringValue } == [c2, c1])
        #expect(log[1]["parents"] == [])
        #expect(try ok(["show", "HEAD", "--json"]).contains("\"node_count\":2"))
        #expect(Self.line(try ok(["node", "get", Self.ann, "--at", c1])).contains("\"name\":\"ann\""))
        try ok(["node", "rm", Self.bob])
        try ok(["commit", "-m", "third", "--time", "3000"])
        #expect(try ok(["show", "--json"]).contains("\"edge_count\":0"))
    }

    /// The same staged operations with the same ids, times and authors give the same commit.
    @Test func commitsAreDeterministic() throws {
        var cids: [String] = []
        for _ in 0..<2 {
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try ok(["init"])
            try ok(["node", "add", "--label", "P", "--prop", "k=v", "--id", Self.ann])
            cids.append(Self.line(try ok(["commit", "-m", "m", "--author", "a", "--time", "7"])))
        }
        #expect(cids[0] == cids[1])
    }

    /// Issue 9 finding 8: a staging command that fails leaves no `STAGED.tmp` and the stage as it
    /// was, and `commit` with nothing staged commits nothing unless `--allow-empty`.
    @Test func failedStagingLeavesNoTemporaryFileAndEmptyCommitsAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        let staged = dir + "/.engram/STAGED"
        // A directory in the stage's place makes the rename fail.
        try FileManager.default.createDirectory(atPath: staged, withIntermediateDirectories: false)
        let failed = try fails(["node", "add", "--label", "Caf\u{e9}", "--id", Self.ann])
        #expect(failed.contains("rename"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: staged + ".tmp"))
        try FileManager.default.removeItem(atPath: staged)
        #expect(try fails(["commit", "-m", "nothing"]).contains("nothing staged"))
        #expect(try fails(["show"]).contains("no commits yet"), "no commit was made")
        let empty = Self.line(try ok(["commit", "--allow-empty", "-m", "empty", "--time", "1"]))
        #expect(try ok(["show", "--json"]).contains("\"node_count\":0"))
        try ok(["node", "add", "--label", "Cafe\u{301}", "--props", #"{"k\u0000":"v\u0000"}"#, "--id", Self.ann])
        let c = Self.line(try ok(["commit", "-m", "one", "--time", "2"]))
        #expect(try fails(["commit", "-m", "again"]).contains("nothing staged"))
        #expect(try ok(["log", "--oneline", "--no-abbrev"]).split(separator: "\n").map { String($0.prefix { $0 != " " }) } == [c, empty])
        let node = try DAGJSON.decode(Self.line(try ok(["node", "get", Self.ann, "--json"])))
        #expect(node == ["id": .string(Self.ann), "label": "Cafe\u{301}", "props": ["k\u{0}": "v\u{0}"]])
    }

    /// Issue 9 finding 8: a property linking to a block not in the store is refused by `commit`
    /// and `apply`, naming the CID, and `fsck` stays clean; after `block put` both go through.
    @Test func propertyLinksToAbsentBlocksAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        let bytes = Array("caf\u{e9} \u{0} note".utf8)
        let cid = CID(hashing: bytes, codec: .raw).description
        try ok(["node", "add", "--label", "Doc", "--props", #"{"see\u0000":[{"/":"\#(cid)"}]}"#, "--id", Self.ann])
        let refused = try fails(["commit", "-m", "link"])
        #expect(refused.contains(cid) && refused.contains(Self.ann), "\(refused)")
        let stream = #"{"op":"put-node","id":"\#(Self.bob)","label":"Cafe\u0301","props":{"x":{"/":"\#(cid)"}}}"#
        #expect(try fails(["apply", "-m", "link"], stdin: stream).contains(cid))
        #expect(try fails(["show"]).contains("no commits yet"))
        #expect(try ok(["fsck"]).contains("clean"))
        let put = try CLIRunner.run(["block", "put", "--codec", "raw", "-C", dir], stdin: bytes)
        #expect(Self.line(put.output) == cid)
        try ok(["commit", "-m", "link"])
        try ok(["apply", "-m", "link"], stdin: stream)
        #expect(try ok(["fsck"]).contains("clean"))
        let node = try DAGJSON.decode(Self.line(try ok(["node", "get", Self.bob, "--json"])))
        #expect(node["props"]?["x"] == .link(try CID(string: cid)))
    }

    /// Issue 9 finding 8: one damaged commit in a pack: `log` prints the commits before it, then
    /// fails naming it (it used to print nothing).
    @Test func logPrintsTheCommitsBeforeADamagedOneThenFails() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        var commits: [String] = []
        for i in 0..<5 {
            try ok(["node", "add", "--label", "Cafe\u{301}", "--props", #"{"i\u0000":\#(i)}"#])
            commits.append(Self.line(try ok(["commit", "-m", "c\(i) \u{e9}", "--time", "\(i + 1)"])))
        }
        try ok(["gc"])
        let packs = dir + "/.engram/packs"
        let pack = packs + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: packs).first { $0.hasSuffix(".pack") }))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: pack)))
        // Records follow the 16-byte header: `length u32 | kind u8 | body | crc u32`, a block
        // record's body starting with its CID. Flip a payload byte of commit 2's record.
        let victim = try CID(string: commits[2]).bytes
        var offset = 16, found = false
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            if Array(bytes[(offset + 5)...].prefix(victim.count)) == victim {
                bytes[offset + 5 + victim.count + 6] ^= 0x40
                found = true
                break
            }
            offset += length + 9
        }
        try #require(found, "commit record not found in the pack")
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        for extra in [["--oneline", "--no-abbrev"], ["--oneline", "--no-abbrev", "--first-parent"], ["--json"]] {
            let r = try CLIRunner.run(Self.withRepo(["log"] + extra, dir))
            #expect(r.status != 0, "log \(extra) must fail")
            #expect(r.stderr.contains(commits[2]), "log \(extra): \(r.stderr)")
            let printed = r.output.split(separator: "\n").map { line in
                extra == ["--json"] ? ((try? DAGJSON.decode(String(line)))?["cid"]?.stringValue ?? "") : String(line.prefix { $0 != " " })
            }
            #expect(printed == [commits[4], commits[3]], "log \(extra)")
        }
        let fsck = try CLIRunner.run(Self.withRepo(["fsck"], dir))
        #expect(fsck.status != 0 && fsck.output.contains(commits[2]), "\(fsck.output)")
    }

    @Test func applyCommitsAStreamAsOneCommit() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        let changes = """
        {"op":"put-node","id":"\(Self.ann)","label":"Person","props":{"name":"ann"}}
        {"op":"put-node","id":"\(Self.bob)","label":"Person","props":{"name":"bob"}}
        {"op":"put-node","id":"\(Self.cy)","label":"Topic"}
        {"op":"put-edge","id":"01890000-0000-7000-8000-0000000000e1","src":"\(Self.ann)","label":"knows","dst":"\(Self.bob)"}

        {"op":"put-edge","id":"01890000-0000-7000-8000-0000000000e2","src":"\(Self.ann)","label":"about","dst":"\(Self.cy)"}
        """
        let cid = Self.line(try ok(["apply", "-m", "bulk", "--author", "a", "--time", "1"], stdin: changes))
        #expect(try ok(["log", "--oneline", "--no-abbrev"]).split(separator: "\n").count == 1)
        #expect(Self.line(try ok(["neighbors", Self.ann, "--count"])) == "2")
        try ok(["apply", "-", "-m", "drop"], stdin: #"{"op":"delete-node","id":"\#(Self.cy)"}"#)
        #expect(Self.line(try ok(["neighbors", Self.ann, "--count"])) == "1")
        #expect(try ok(["diff", cid, "HEAD"]).contains("- edge 01890000-0000-7000-8000-0000000000e2"))
        let bad = try fails(["apply"], stdin: #"{"op":"put-node","label":"X"}"# + "\n" + #"{"op":"explode"}"#)
        #expect(bad.contains("line 2"))
        let dangling = try fails(["apply"], stdin: #"{"op":"put-edge","src":"\#(Self.ann)","label":"x","dst":"01890000-0000-7000-8000-0000000000ff"}"#)
        #expect(dangling.contains("does not exist"))
        #expect(try ok(["log", "--oneline", "--no-abbrev"]).split(separator: "\n").count == 2)
    }

    /// Issue 9 finding 5: texts that extend others (a NUL after them) followed by ids starting
    /// `ff` broke `apply` into an empty graph and leaked into label, equality and neighbour queries.
    @Test func applyAndQueriesKeepTextsThatExtendOthersApart() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        let (a, aNULb, hub) = ("ffffffff-ffff-ffff-ffff-ffffffffff01", "00000000-0000-0000-0000-000000000002", "7f000000-0000-0000-0000-000000000003")
        let changes = """
        {"op":"put-node","id":"\(a)","label":"a","props":{"name":"ab"}}
        {"op":"put-node","id":"\(aNULb)","label":"a\\u0000b","props":{"name":"ab\\u0000c"}}
        {"op":"put-node","id":"\(hub)","label":"a"}
        {"op":"put-edge","id":"ffffffff-ffff-ffff-ffff-ffffffffff11","src":"\(hub)","label":"r","dst":"\(a)"}
        {"op":"put-edge","id":"00000000-0000-0000-0000-000000000012","src":"\(hub)","label":"r\\u0000s","dst":"\(aNULb)"}
        """
        try ok(["apply", "-m", "bulk", "--time", "1"], stdin: changes)
        #expect(Self.line(try ok(["query", "--label", "a"])).split(separator: "\n").sorted() == [Substring(a), Substring(hub)].sorted())
        #expect(Self.line(try ok(["query", "--label", "a", "--count"])) == "2")
        #expect(Self.line(try ok(["query", "--label", "a", "--where", "name=ab"])) == a)
        #expect(Self.line(try ok(["query", "--label", "a", "--where", "name=ab", "--count"])) == "1")
        let out = try ok(["neighbors", hub, "--label", "r"])
        #expect(out.contains(a) && !out.contains(aNULb))
        #expect(Self.line(try ok(["neighbors", hub, "--label", "r", "--count"])) == "1")
        #expect(Self.line(try ok(["neighbors", hub, "--count"])) == "2")
    }

    @Test func branchesCheckoutAndMerge() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "P", "--prop", "a:=1", "--prop", "b:=1", "--id", Self.ann])
        try ok(["commit", "-m", "base", "--time", "1"])
        try ok(["branch", "side"])
        try ok(["checkout", "side"])
        try ok(["node", "set", Self.ann, "--prop", "b:=2"])
        try ok(["commit", "-m", "side", "--time", "2"])
        try ok(["checkout", "main"])
        try ok(["node", "set", Self.ann, "--prop", "a:=2"])
        try ok(["commit", "-m", "main", "--time", "3"])
        let merged = try ok(["merge", "side", "--time", "4", "--json"])
        #expect(merged.contains("\"result\":\"merged\""))
        #expect(try ok(["node", "get", Self.ann, "--json"]).contains(#""props":{"a":2,"b":2}"#))
        #expect(try ok(["branch"]).contains("* main"))
        // A conflicting change: reported, nothing changes; then settled with --strategy.
        try ok(["checkout", "side"])
        try ok(["node", "set", Self.ann, "--prop", "a:=5"])
        try ok(["commit", "-m", "side2", "--time", "5"])
        try ok(["checkout", "main"])
        try ok(["node", "set", Self.ann, "--prop", "a:=6"])
        try ok(["commit", "-m", "main2", "--time", "6"])
        let head = Self.line(try ok(["log", "-n", "1"]))
        let conflict = try CLIRunner.run(Self.withRepo(["merge", "side"], dir))
        #expect(conflict.status != 0)
        #expect(conflict.output.contains("props.a"))
        #expect(Self.line(try ok(["log", "-n", "1"])) == head)
        try ok(["merge", "side", "--strategy", "theirs", "--time", "7"])
        #expect(try ok(["node", "get", Self.ann, "--json"]).contains(#""a":5"#))
        let first = Self.line(try ok(["log", "--oneline", "--no-abbrev", "--first-parent"])).split(separator: "\n").last!.split(separator: " ")[0]
        try ok(["checkout", String(first)])
        #expect(try ok(["status"]).contains("HEAD detached"))
        try ok(["checkout", "main"])
        try ok(["branch", "-d", "side"])
        #expect(!(try ok(["branch"]).contains("side")))
        #expect(try fails(["checkout", "nowhere"]).contains("nowhere"))
    }
}
