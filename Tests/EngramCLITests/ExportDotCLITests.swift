import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// `engram export-dot`: the graph as DOT, read back by an independent parser, with labels and
/// values that need escaping (quotes, backslashes, newlines, `&`, NUL, non-ASCII, NFD).
@Suite(.serialized)
struct ExportDotCLITests {
    /// A label with everything DOT escaping must get right, and how a label shows it (NUL is
    /// shown as `\u{0}` text: a DOT file cannot hold the byte).
    static let awkward = "Say \"hi\" \\ & caf\u{E9} e\u{301} \u{1F9E0}\nline\u{0}end"
    static let awkwardJSON = #"Say \"hi\" \\ & caf\u00e9 e\u0301 \ud83e\udde0\nline\u0000end"#
    static let awkwardShown = "Say \"hi\" \\ & caf\u{E9} e\u{301} \u{1F9E0}\nline\\u{0}end"

    /// A chain 1 -> 2 -> 3 -> 4 -> 5 and 1 -> 6, node 2 labelled awkwardly.
    static func chain() throws -> CLIRepository {
        let repo = CLIRepository()
        try repo.ok(["init", repo.dir])
        var lines = (1...6).map { n in
            CLIRepository.putNode(CLIRepository.id(n), n == 2 ? awkwardJSON : "N", n == 3 ? #"{"note":"\#(awkwardJSON)"}"# : "{}")
        }
        for (e, (a, b)) in [(1, 2), (2, 3), (3, 4), (4, 5), (1, 6)].enumerated() {
            lines.append(CLIRepository.putEdge(CLIRepository.id(100 + e), CLIRepository.id(a), e == 0 ? awkwardJSON : "next", CLIRepository.id(b)))
        }
        try repo.commit(lines, message: "chain", time: 1)
        return repo
    }

    @Test func theWholeGraphParsesBackWithItsText() throws {
        let repo = try Self.chain()
        defer { repo.remove() }
        let dot = try DOTReader.parse(try repo.ok(["export-dot"]))
        #expect(dot.nodes.count == 6)
        #expect(dot.edges.count == 5)
        #expect(Set(dot.nodes.keys) == Set((1...6).map(CLIRepository.id)))
        let label = try #require(dot.nodes[CLIRepository.id(2)]?["label"])
        #expect(label.hasPrefix(Self.awkwardShown + "\n"), "\(label)")
        #expect(dot.nodes[CLIRepository.id(3)]?["label"]?.contains("note: Say \"hi\"") == true)
        let first = try #require(dot.edges.first { $0.from == CLIRepository.id(1) && $0.to == CLIRepository.id(2) })
        #expect(first.attributes["label"] == Self.awkwardShown)
        // -o writes the same text to a file.
        let file = repo.dir + "/graph.dot"
        try repo.ok(["export-dot", "HEAD", "-o", file])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == (try repo.ok(["export-dot"])))
    }

    @Test func aroundANodeKeepsItsNeighbourhood() throws {
        let repo = try Self.chain()
        defer { repo.remove() }
        let one = try DOTReader.parse(try repo.ok(["export-dot", "--around", CLIRepository.id(3), "--depth", "1"]))
        #expect(Set(one.nodes.keys) == Set([2, 3, 4].map(CLIRepository.id)))
        #expect(one.edges.count == 2)
        let two = try DOTReader.parse(try repo.ok(["export-dot", "--around", CLIRepository.id(3), "--depth", "2"]))
        #expect(Set(two.nodes.keys) == Set([1, 2, 3, 4, 5].map(CLIRepository.id)))
        #expect(two.edges.count == 4)
        let zero = try DOTReader.parse(try repo.ok(["export-dot", "--around", CLIRepository.id(1), "--depth", "0"]))
        #expect(zero.nodes.count == 1 && zero.edges.isEmpty)
        #expect(try repo.run(["export-dot", "--around", CLIRepository.id(99)]).status == 4)
    }

    @Test func aGraphOverTheCapIsRefusedWithAClearMessage() throws {
        let repo = try Self.chain()
        defer { repo.remove() }
        let refused = try repo.run(["export-dot", "--max-items", "10"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("11 nodes and edges") && refused.stderr.contains("--around"))
        #expect(refused.output.isEmpty)
        #expect(try repo.run(["export-dot", "--max-items", "11"]).status == 0)
        let around = try repo.run(["export-dot", "--around", CLIRepository.id(3), "--depth", "5", "--max-items", "3"])
        #expect(around.status == 1 && around.stderr.contains("--max-items 3"))
    }
}
