import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Issue 13: changes are never made silently. Existing ids, misspelt fields, broken JSON,
/// non-UTF-8 arguments and edges to missing nodes are refused when staged, with the exit status
/// of their kind; the stage can be inspected, unstaged and discarded; branches and merges do
/// not drop work without being told.
@Suite(.serialized)
struct SafeChangesCLITests {
    let dir = TestDirectory.path("engram-safe-cli")

    static let ann = GraphCLITests.ann
    static let bob = GraphCLITests.bob
    static let cy = GraphCLITests.cy
    static let edge = "01890000-0000-7000-8000-0000000000e1"
    static let conflict: Int32 = 3
    static let notFound: Int32 = 4

    @discardableResult
    func ok(_ args: [String], stdin: String = "") throws -> String {
        let r = try CLIRunner.run(GraphCLITests.withRepo(args, dir), stdin: stdin)
        #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
        return r.output
    }

    /// Runs a command expected to fail with `status` (any failure when nil); returns its stderr.
    @discardableResult
    func fails(_ args: [String], status: Int32? = nil, stdin: String = "") throws -> String {
        let r = try CLIRunner.run(GraphCLITests.withRepo(args, dir), stdin: stdin)
        #expect(r.status != 0, "engram \(args.joined(separator: " ")) should fail")
        if let status { #expect(r.status == status, "engram \(args.joined(separator: " ")): \(r.stderr)") }
        return r.stderr
    }

    func json(_ args: [String]) throws -> IPLD { try DAGJSON.decode(GraphCLITests.line(try ok(args))) }

    func staged() throws -> [String] { try ok(["status", "--json"]).split(separator: "\n").map(String.init) }

    @Test func addRefusesAnExistingIdAndSetPatches() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "Person", "--prop", "name=Ann", "--prop", "age:=30", "--id", Self.ann])
        try ok(["node", "add", "--label", "Person", "--id", Self.bob])
        // Refused while staged and after the commit alike; the node keeps its properties.
        #expect(try fails(["node", "add", "--label", "Robot", "--id", Self.ann], status: Self.conflict).contains("already exists"))
        try ok(["edge", "add", Self.ann, "knows", Self.bob, "--prop", "since:=2020", "--id", Self.edge])
        try ok(["commit", "-m", "one", "--time", "1"])
        try fails(["node", "add", "--label", "Robot", "--id", Self.ann], status: Self.conflict)
        try fails(["edge", "add", Self.bob, "knows", Self.ann, "--id", Self.edge], status: Self.conflict)
        #expect(try staged().isEmpty)
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == ["age": 30, "name": "Ann"])
        // node set and edge set patch; --unset removes.
        try ok(["node", "set", Self.ann, "--prop", "nick=An\u{65}\u{301}", "--unset", "age"])
        try ok(["edge", "set", Self.edge, "--prop", "weight:=0.5", "--label", "trusts"])
        try fails(["edge", "set", Self.cy], status: Self.notFound)
        try ok(["commit", "-m", "two", "--time", "2"])
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == ["name": "Ann", "nick": "An\u{65}\u{301}"])
        let edge = try json(["edge", "get", Self.edge, "--json"])
        #expect(edge["label"] == "trusts")
        #expect(edge["props"] == ["since": 2020, "weight": 0.5])
        #expect(edge["src"] == .string(Self.ann))
    }

    /// `k=v` is text whatever v looks like; `k:=v` is JSON, and broken JSON is refused naming
    /// the property; an argument that is not UTF-8 is refused instead of stored as U+FFFD.
    @Test func propertyValuesAreTypedExplicitly() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "P", "--id", Self.ann, "--prop", "n=1", "--prop", "b=true", "--prop", "j={\"a\":1}",
                "--prop", "i:=1", "--prop", "f:=0.8", "--prop", "t:=\"caf\u{65}\u{301}\"", "--prop", "l:=[1,null]", "--prop", "m:={\"k\":false}"])
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == [
            "n": "1", "b": "true", "j": "{\"a\":1}", "i": 1, "f": 0.8, "t": "caf\u{65}\u{301}", "l": [1, .null], "m": ["k": false],
        ])
        let broken = try fails(["node", "add", "--label", "P", "--prop", "x:={\"a\":"])
        #expect(broken.contains("property 'x'") && broken.contains("not a JSON value"))
        // Raw bytes through a shell: 0xff is never UTF-8.
        let r = try CLIRunner.run(["-c", "exec \"$0\" node add -C \"$1\" --label P --prop \"x=$(printf 'a\\377b')\"", CLIRunner.executable.path, dir],
                                  program: URL(fileURLWithPath: "/bin/sh"))
        #expect(r.status != 0 && r.status != 1)
        #expect(r.stderr.contains("not valid UTF-8"))
        #expect(try staged().count == 1)
    }

    /// A change a commit would refuse is refused when staged, so it never blocks a later commit.
    @Test func checksRunWhenStagedAndTheStageCanBeUndone() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        // Reads of the stage before the first commit work (a read-only open of a new store).
        try ok(["node", "add", "--label", "Person", "--prop", "name=Ann", "--id", Self.ann])
        #expect(try ok(["node", "get", Self.ann]).contains("Person"))
        let dangling = try fails(["edge", "add", Self.ann, "knows", Self.bob], status: Self.notFound)
        #expect(dangling.contains(Self.bob))
        #expect(try staged().count == 1)
        // A link to a block the store does not hold is refused when staged too.
        let absent = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
        #expect(try fails(["node", "set", Self.ann, "--prop", "doc:={\"/\":\"\(absent)\"}"]).contains(absent))
        #expect(try staged().count == 1)
        let first = GraphCLITests.line(try ok(["commit", "-m", "first", "--time", "1"]))
        // diff of the first commit is against the empty graph.
        let firstDiff = try json(["diff", first, "--json"])
        #expect(firstDiff["nodes"]?["added"]?[0]?["id"] == .string(Self.ann))
        #expect(try ok(["diff", "HEAD"]).contains("+ node \(Self.ann)"))

        try ok(["node", "add", "--label", "Person", "--id", Self.bob])
        try ok(["edge", "add", Self.ann, "knows", Self.bob, "--id", Self.edge])
        try ok(["node", "set", Self.ann, "--prop", "name=Anne"])
        let stagedDiff = try json(["diff", "--staged", "--json"])
        #expect(stagedDiff["nodes"]?["added"]?[0]?["id"] == .string(Self.bob))
        #expect(stagedDiff["nodes"]?["changed"]?[0]?["changes"] == [["field": "props.name", "old": "Ann", "new": "Anne"]])
        #expect(stagedDiff["edges"]?["added"]?[0]?["id"] == .string(Self.edge))
        // Restoring bob alone would leave the staged edge dangling: refused, nothing changes.
        #expect(try fails(["restore", Self.bob]).contains(Self.edge))
        #expect(try staged().count == 3)
        #expect(try fails(["restore", Self.cy]).contains("nothing is staged"))
        try ok(["restore", Self.edge, Self.bob])
        #expect(try staged().count == 1)
        try fails(["restore"])
        try ok(["restore", "--staged"])
        #expect(try staged().isEmpty)
        try ok(["node", "rm", Self.ann])
        try ok(["reset"])
        #expect(try staged().isEmpty)
        #expect(try ok(["diff", "--staged"]).isEmpty)
        try ok(["node", "add", "--label", "Person", "--id", Self.cy])
        try ok(["commit", "-m", "second", "--time", "2"])
        #expect(try ok(["node", "get", Self.ann]).contains("Ann"))
    }

    @Test func applyRefusesUnknownFieldsNamingFieldAndLine() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        let stream = """
        {"op":"put-node","id":"\(Self.ann)","label":"Note","props":{"text":"kept"}}

        {"op":"put-node","id":"\(Self.bob)","label":"Note","prop":{"text":"typo"}}
        """
        let error = try fails(["apply", "-m", "bad"], stdin: stream)
        #expect(error.contains("line 3") && error.contains("unknown field \"prop\""))
        try fails(["log"])  // nothing was committed: the branch is still unborn
    }

    /// Numbers compare by value across integers and floats: `importance:0.5:2` finds 1 and 0.8.
    @Test func numericQueriesMatchIntegersAndFloats() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "Memory", "--prop", "importance:=1", "--id", Self.ann])
        try ok(["node", "add", "--label", "Memory", "--prop", "importance:=0.8", "--id", Self.bob])
        try ok(["node", "add", "--label", "Memory", "--prop", "importance=1", "--id", Self.cy])
        try ok(["commit", "-m", "m", "--time", "1"])
        #expect(GraphCLITests.line(try ok(["query", "--label", "Memory", "--range", "importance:0.5:2"])) == "\(Self.ann)\n\(Self.bob)")
        #expect(GraphCLITests.line(try ok(["query", "--label", "Memory", "--range", "importance:0.5:2", "--count"])) == "2")
        #expect(GraphCLITests.line(try ok(["query", "--label", "Memory", "--where", "importance:=1.0"])) == Self.ann)
        #expect(GraphCLITests.line(try ok(["query", "--label", "Memory", "--where", "importance=1"])) == Self.cy)
    }

    @Test func branchDeleteRefusesUnmergedBranches() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "P", "--id", Self.ann])
        try ok(["commit", "-m", "base", "--time", "1"])
        try ok(["branch", "side"])
        try ok(["branch", "merged"])
        try ok(["checkout", "side"])
        try ok(["node", "add", "--label", "P", "--id", Self.bob])
        try ok(["commit", "-m", "side", "--time", "2"])
        try ok(["checkout", "main"])
        #expect(try fails(["branch", "-d", "side"], status: Self.conflict).contains("not merged"))
        #expect(try ok(["branch"]).contains("side"))
        try ok(["branch", "-d", "merged"])
        try ok(["branch", "-D", "side"])
        #expect(!(try ok(["branch"]).contains("side")))
    }

    /// main and side change the same three properties of one node differently.
    func forkWithThreeConflicts() throws {
        try ok(["init"])
        try ok(["node", "add", "--label", "P", "--prop", "a:=1", "--prop", "b=x", "--prop", "c=k", "--id", Self.ann])
        try ok(["commit", "-m", "base", "--time", "1"])
        try ok(["branch", "side"])
        try ok(["checkout", "side"])
        try ok(["node", "set", Self.ann, "--prop", "a:=5", "--prop", "b=side", "--prop", "c=side"])
        try ok(["commit", "-m", "side", "--time", "2"])
        try ok(["checkout", "main"])
        try ok(["node", "set", Self.ann, "--prop", "a:=6", "--prop", "b=main", "--prop", "c=main"])
        try ok(["commit", "-m", "main", "--time", "2"])
    }

    @Test func mergeSettlesConflictsPropertyByProperty() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try forkWithThreeConflicts()
        let head = GraphCLITests.line(try ok(["log", "-n", "1", "--json"]))
        // Conflicts as structured data, exit 3, nothing changes.
        let r = try CLIRunner.run(["merge", "-C", dir, "side", "--json"])
        #expect(r.status == Self.conflict)
        let report = try DAGJSON.decode(GraphCLITests.line(r.output))
        #expect(report["result"] == "conflict")
        #expect(report["conflicts"]?[0] == ["entity": "node", "id": .string(Self.ann), "kind": "field", "field": "props.a",
                                           "base": 1, "ours": 6, "theirs": 5, "resolve": .string("\(Self.ann).props.a")])
        #expect(report["conflicts"]?.listValue?.count == 3)
        #expect(GraphCLITests.line(try ok(["log", "-n", "1", "--json"])) == head)
        // A settlement naming no conflict, or a bad value, is refused.
        #expect(try fails(["merge", "side", "--resolve", "\(Self.ann).zz=ours"]).contains("no such conflict"))
        try fails(["merge", "side", "--resolve", "\(Self.ann).a=maybe"])
        // Two settled, one left: still a conflict.
        try fails(["merge", "side", "--resolve", "\(Self.ann).a=theirs", "--resolve", "\(Self.ann).b=ours"], status: Self.conflict)
        let merged = try json(["merge", "side", "--time", "3", "--json", "--resolve", "\(Self.ann).a=theirs",
                               "--resolve", "\(Self.ann).props.b=ours", "--resolve", "\(Self.ann).c=\"both \u{1F9E0}\""])
        #expect(merged["result"] == "merged")
        #expect(merged["resolved"]?.listValue?.count == 3)
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == ["a": 5, "b": "main", "c": "both \u{1F9E0}"])
    }

    /// A failed merge writes its conflicts to .engram/MERGE_CONFLICTS; each line's "take" is
    /// edited and `merge --continue` merges with them (again failing while one is unset).
    @Test func aConflictFileIsEditedThenTheMergeContinues() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try fails(["merge", "--continue"])
        try forkWithThreeConflicts()
        try fails(["merge", "side", "--resolve", "\(Self.ann).a=theirs"], status: Self.conflict)
        let path = dir + "/.engram/MERGE_CONFLICTS"
        func edit(_ takes: [String: IPLD]) throws -> Int {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = try text.split(separator: "\n").map { try DAGJSON.decode(String($0)) }
            for i in lines.indices.dropFirst() {
                guard var m = lines[i].mapValue, let field = m["field"]?.stringValue, let take = takes[field] else { continue }
                #expect(m["take"] == .null)
                m["take"] = take
                lines[i] = .map(m)
            }
            try lines.map { try DAGJSON.encodeString($0) }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return lines.count - 1
        }
        #expect(try edit(["props.b": "ours"]) == 2)
        // One conflict left unset: the merge fails again, nothing changes, and the file keeps
        // the settled lines and the open one.
        let head = GraphCLITests.line(try ok(["log", "-n", "1", "--json"]))
        try fails(["merge", "--continue"], status: Self.conflict)
        #expect(GraphCLITests.line(try ok(["log", "-n", "1", "--json"])) == head)
        #expect(try edit(["props.c": ["value": "both \u{1F9E0}"]]) == 2)
        let merged = try json(["merge", "--continue", "--json", "--time", "3"])
        #expect(merged["result"] == "merged")
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == ["a": 5, "b": "main", "c": "both \u{1F9E0}"])
        #expect(!FileManager.default.fileExists(atPath: path))
        // A bad "take" is refused naming the line; --abort forgets the merge.
        try ok(["checkout", "side"])
        try ok(["node", "set", Self.ann, "--prop", "a:=7"])
        try ok(["commit", "-m", "side3", "--time", "4"])
        try ok(["checkout", "main"])
        try ok(["node", "set", Self.ann, "--prop", "a:=8"])
        try ok(["commit", "-m", "main3", "--time", "5"])
        try fails(["merge", "side"], status: Self.conflict)
        #expect(try edit(["props.a": "mine"]) == 1)
        #expect(try fails(["merge", "--continue"]).contains("line 2"))
        try ok(["merge", "--abort"])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Conflicts that are not about a field (a node removed on main and changed on side, an edge
    /// side adds at a node main removed) are settled with `--resolve <id>=ours|theirs`, or by
    /// their conflict file line's "take"; `merge --help` documents the form.
    @Test func mergeSettlesRemovedAndEndpointConflictsPerNodeOrEdge() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ok(["init"])
        try ok(["node", "add", "--label", "P", "--prop", "name=Ann", "--id", Self.ann])
        try ok(["node", "add", "--label", "P", "--prop", "name=Bob", "--id", Self.bob])
        try ok(["node", "add", "--label", "P", "--prop", "name=Cy", "--id", Self.cy])
        try ok(["commit", "-m", "base", "--time", "1"])
        try ok(["branch", "side"])
        try ok(["checkout", "side"])
        try ok(["node", "set", Self.ann, "--prop", "name=Ann \u{1F9E0}"])
        try ok(["edge", "add", Self.bob, "knows", Self.cy, "--id", Self.edge])
        try ok(["commit", "-m", "side", "--time", "2"])
        try ok(["checkout", "main"])
        try ok(["node", "rm", Self.ann])
        try ok(["node", "rm", Self.cy])
        try ok(["commit", "-m", "main", "--time", "2"])

        let r = try CLIRunner.run(["merge", "-C", dir, "side", "--json"])
        #expect(r.status == Self.conflict)
        let conflicts = try DAGJSON.decode(GraphCLITests.line(r.output))["conflicts"]?.listValue ?? []
        #expect(conflicts == [
            ["entity": "node", "id": .string(Self.ann), "kind": "removed-changed", "removed_by": "ours", "resolve": .string(Self.ann)],
            ["entity": "edge", "id": .string(Self.edge), "kind": "endpoint-removed", "node": .string(Self.cy), "removed_by": "ours",
             "resolve": .string(Self.edge)],
        ])
        #expect(try fails(["merge", "side", "--resolve", "\(Self.ann)=maybe"]).contains("ours or theirs"))
        #expect(try fails(["merge", "side", "--resolve", "\(Self.bob)=ours", "--resolve", "\(Self.ann)=ours",
                           "--resolve", "\(Self.edge)=ours"]).contains("no such conflict"))
        try fails(["merge", "side", "--resolve", "\(Self.ann)=theirs"], status: Self.conflict)

        // The conflict file: Ann's line taken from theirs, the edge's "take" left unset.
        let path = dir + "/.engram/MERGE_CONFLICTS"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try DAGJSON.decode(String($0)) }
        #expect(lines.count == 2)
        #expect(lines[1]["take"] == .null && lines[1]["id"] == .string(Self.edge))
        func take(_ value: IPLD) {
            var line = lines[1].mapValue ?? [:]
            line["take"] = value
            lines[1] = .map(line)
        }
        take(["value": 1])
        try lines.map { try DAGJSON.encodeString($0) }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try fails(["merge", "--continue"]).contains("line 2"))
        take("theirs")
        try lines.map { try DAGJSON.encodeString($0) }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let merged = try json(["merge", "--continue", "--json", "--time", "3"])
        #expect(merged["result"] == "merged")
        #expect(merged["resolved"]?.listValue?.count == 2)
        // Ann came back with side's change; Cy came back so that side's edge has its end.
        #expect(try json(["node", "get", Self.ann, "--json"])["props"] == ["name": "Ann \u{1F9E0}"])
        #expect(try json(["node", "get", Self.cy, "--json"])["props"] == ["name": "Cy"])
        #expect(try json(["edge", "get", Self.edge, "--json"])["dst"] == .string(Self.cy))

        // The same merge settled the other way round from the command line: both stay removed.
        try ok(["branch", "again", "--from", "HEAD^1"])
        try ok(["checkout", "again"])
        let human = try ok(["merge", "side", "--time", "4", "--resolve", "\(Self.ann)=ours", "--resolve", "\(Self.cy)=ours"])
        #expect(human.split(separator: "\n").count == 3)
        #expect(human.contains("resolved: node \(Self.ann) removed by ours"))
        try fails(["node", "get", Self.ann], status: Self.notFound)
        try fails(["edge", "get", Self.edge], status: Self.notFound)
        let help = try CLIRunner.run(["merge", "--help"]).output
        #expect(help.contains("<id>=ours|theirs"))
    }
}
