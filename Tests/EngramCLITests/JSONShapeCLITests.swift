import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// The `--json` shapes no other suite pins down: query and neighbors (one object a line), tree
/// ls and diff, remote list, and the sync commands (clone, fetch, pull, push) and car import.
@Suite(.serialized)
struct JSONShapeCLITests {
    static let a = "01890000-0000-7000-8000-00000000000a"
    static let b = "01890000-0000-7000-8000-00000000000b"
    static let edge = "01890000-0000-7000-8000-0000000000e1"

    static func lines(_ args: [String], in dir: String) throws -> [IPLD] {
        let r = try CLIRunner.run(["-C", dir] + args)
        #expect(r.status == 0, "engram \(args.joined(separator: " ")): \(r.stderr)")
        #expect(r.output.hasSuffix("\n"), "engram \(args.joined(separator: " ")): \(r.output)")
        return try r.output.split(separator: "\n").map { try DAGJSON.decode(String($0)) }
    }

    static func object(_ args: [String], in dir: String) throws -> IPLD {
        let all = try lines(args, in: dir)
        #expect(all.count == 1, "engram \(args.joined(separator: " ")): one object")
        return all.first ?? .null
    }

    static func keys(_ value: IPLD?) -> Set<String> { Set(value?.mapValue?.keys.map { $0 } ?? []) }

    @Test func readingCommands() throws {
        let dir = TestDirectory.make("engram-json-read")
        defer { TestDirectory.remove(dir) }
        for args in [["init"], ["node", "add", "--label", "P", "--prop", "name=Zo\u{65}\u{308}", "--prop", "age:=3", "--id", Self.a],
                     ["node", "add", "--label", "P", "--id", Self.b], ["edge", "add", Self.a, "knows", Self.b, "--id", Self.edge, "--prop", "w:=0.5"],
                     ["commit", "-m", "one"], ["node", "set", Self.b, "--prop", "x=1"], ["commit", "-m", "two"]] {
            #expect(try CLIRunner.run(["-C", dir] + args).status == 0, "\(args)")
        }
        #expect(try Self.lines(["query", "--label", "P", "--json"], in: dir) == [
            ["id": .string(Self.a), "label": "P", "props": ["age": 3, "name": "Zo\u{65}\u{308}"]],
            ["id": .string(Self.b), "label": "P", "props": ["x": "1"]],
        ])
        #expect(try Self.lines(["neighbors", Self.a, "--json"], in: dir)
            == [["direction": "out", "edge": .string(Self.edge), "label": "knows", "node": .string(Self.b)]])
        #expect(try Self.lines(["neighbors", Self.b, "--in", "--json"], in: dir)
            == [["direction": "in", "edge": .string(Self.edge), "label": "knows", "node": .string(Self.a)]])

        let roots = try [1, 0].map { back in
            try #require(try Self.object(["show", "HEAD~\(back)", "--json"], in: dir)["nodes"]?.stringValue)
        }
        let listed = try Self.lines(["tree", "ls", roots[1], "--json"], in: dir)
        #expect(listed.count == 2)
        #expect(listed.allSatisfy { Self.keys($0) == ["key", "value"] && $0["value"]?.linkValue != nil })
        #expect(listed.compactMap { $0["key"]?.stringValue } == [Self.a, Self.b].map { $0.replacingOccurrences(of: "-", with: "") })
        let diff = try Self.lines(["tree", "diff", roots[0], roots[1], "--json"], in: dir)
        #expect(diff.count == 1)
        #expect(diff.first?["op"] == "change" && diff.first?["key"] == .string(Self.b.replacingOccurrences(of: "-", with: "")))
        let older = try Self.lines(["tree", "ls", roots[0], "--json"], in: dir)
        #expect(diff.first?["old"] == older[1]["value"] && diff.first?["new"] == listed[1]["value"])
        #expect(older[1]["value"] != listed[1]["value"])
    }

    @Test func syncCommandsAndCARImport() throws {
        let dir = TestDirectory.make("engram-json-sync")
        defer { TestDirectory.remove(dir) }
        let origin = dir + "/origin", copy = dir + "/copy"
        for args in [["init", origin], ["-C", origin, "node", "add", "--label", "P", "--prop", "name=caf\u{E9}", "--id", Self.a],
                     ["-C", origin, "commit", "-m", "one"]] {
            #expect(try CLIRunner.run(args).status == 0, "\(args)")
        }
        func head(_ repo: String) throws -> IPLD? { try Self.object(["log", "--json", "-n", "1"], in: repo)["cid"] }
        let cloned = try DAGJSON.decode(try CLIRunner.run(["clone", origin, copy, "--json"]).output.trimmingCharacters(in: .newlines))
        #expect(cloned == ["updated": [["ref": "refs/remotes/origin/main", "old": .null, "new": try #require(try head(origin))]]])

        #expect(try Self.object(["remote", "list", "--json"], in: copy) == [["name": "origin", "url": .string(origin)]])
        #expect(try Self.object(["fetch", "--json"], in: copy) == ["updated": []])
        let before = try #require(try head(origin))
        #expect(try CLIRunner.run(["-C", origin, "node", "set", Self.a, "--prop", "age:=4"]).status == 0)
        #expect(try CLIRunner.run(["-C", origin, "commit", "-m", "two"]).status == 0)
        let after = try #require(try head(origin))
        let fetched = try Self.object(["fetch", "--json", "--stats"], in: copy)
        #expect(fetched["updated"] == [["ref": "refs/remotes/origin/main", "old": before, "new": after]])
        #expect(Self.keys(fetched["stats"]).isSuperset(of: ["round_trips", "blocks_received", "bytes_received"]), "\(fetched)")
        #expect(try Self.object(["pull", "--json"], in: copy) == ["result": "fast-forward", "commit": after, "updated": []])
        #expect(try Self.object(["pull", "--json"], in: copy) == ["result": "up-to-date", "commit": after, "updated": []])
        #expect(try CLIRunner.run(["-C", copy, "commit", "--allow-empty", "-m", "three"]).status == 0)
        let pushed = try Self.object(["push", "--json"], in: copy)
        #expect(pushed == ["updated": [["ref": "refs/heads/main", "old": after, "new": try #require(try head(copy))]]])

        #expect(try CLIRunner.run(["-C", copy, "car", "export", "HEAD", "-o", dir + "/all.car"]).status == 0)
        #expect(try CLIRunner.run(["init", dir + "/archive"]).status == 0)
        let imported = try Self.object(["car", "import", dir + "/all.car", "--ref", "main", "--json"], in: dir + "/archive")
        #expect(Self.keys(imported) == ["blocks_added", "blocks_read", "ref", "roots"])
        #expect(imported["ref"] == ["name": "refs/heads/main", "new": try #require(try head(copy))])
        #expect(imported["roots"] == [try #require(try head(copy))])
        #expect(imported["blocks_added"] == imported["blocks_read"])
    }
}
