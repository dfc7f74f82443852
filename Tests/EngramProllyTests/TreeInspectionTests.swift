import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

@Suite struct TreeInspectionTests {
    @Test func buildInputParsesInAnyOrderLastValueWins() throws {
        let link = CID(hashing: [7])
        let input = Array("""
        {"key": "02", "value": "aa"}

        {"key": "01"}
        {"key": "02", "value": "bb"}
        {"key": "03", "value": {"/": "\(link)"}}
        {"key": "04", "value": null}
        """.utf8)
        let entries = try TreeInspection.parseEntries(input)
        let (storage, _) = makeStorage()
        let tree = try ProllyTree.build(unsorted: entries, in: storage)
        var lines: [String] = []
        try TreeInspection.list(tree, json: false) { lines.append($0) }
        #expect(lines == ["01\tnull", "02\tbb", "03\t\(link)", "04\tnull"])
        var json: [String] = []
        try TreeInspection.list(tree, prefix: [0x03], json: true) { json.append($0) }
        #expect(json == ["{\"key\":\"03\",\"value\":{\"/\":\"\(link)\"}}"])
    }

    @Test func badInputNamesTheLine() {
        #expect(throws: TreeInspection.InputError.self) { try TreeInspection.parseEntries(Array("{\"key\": \"zz\"}".utf8)) }
        do {
            _ = try TreeInspection.parseEntries(Array("{\"key\": \"01\"}\n[1]\n".utf8))
            Issue.record("accepted a list")
        } catch {
            #expect(error.line == 2)
        }
        #expect(throws: TreeInspection.InputError.self) { try TreeInspection.parseEntries(Array("{\"key\": \"01\", \"value\": 5}".utf8)) }
    }

    @Test func diffAndStatsReports() throws {
        let (storage, _) = makeStorage()
        let a = try ProllyTree.build(sorted: [ProllyEntry(key: [1], value: .null), ProllyEntry(key: [2], value: .bytes([5]))], in: storage)
        let b = try a.applying([.remove(key: [1]), .upsert(key: [2], value: .bytes([6])), .upsert(key: [3], value: .null)])
        var lines: [String] = []
        try TreeInspection.diff(a, b, json: false) { lines.append($0) }
        #expect(lines == ["- 01 null", "~ 02 05 06", "+ 03 null"])
        var json: [String] = []
        try TreeInspection.diff(a, b, json: true) { json.append($0) }
        #expect(json[1] == "{\"op\":\"change\",\"key\":\"02\",\"old\":\"05\",\"new\":\"06\"}")
        let big = try ProllyTree.build(unsorted: SplitMix64.entries(count: 3000), in: storage)
        let report = try TreeInspection.statsReport(big)
        let shape = try big.stats()
        #expect(report.contains("height \(shape.height)") && report.contains("nodes \(shape.nodeCount)"))
        #expect(report.contains("entries 3000"))
        let stats = try big.stats()
        #expect(stats.sizeHistogram.reduce(0, +) == stats.nodeCount)
    }
}
