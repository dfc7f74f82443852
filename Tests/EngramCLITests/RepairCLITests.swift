import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// `engram fsck --repair` end to end: a flipped byte in the journal of a repository built by the
/// CLI is refused by every command (which names the repair), repaired, and the history that
/// survives is a suffix of the original log.
@Suite struct RepairCLITests {
    @Test func aDamagedRepositoryIsRepairedAndKeepsItsOlderHistory() throws {
        let repo = StoreCLITests.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try CLIRunner.run(["init", repo]).status == 0)
        for i in 0..<8 {
            let props = #"{"n\u0000om": "caf\u00e9 \#(i)\u0000 \ud83e\udde0"}"#
            #expect(try CLIRunner.run(["node", "add", "--label", "M\u{e9}moire", "--props", props, "-C", repo]).status == 0)
            #expect(try CLIRunner.run(["commit", "-m", "c\(i)", "-C", repo]).status == 0)
        }
        let log = try CLIRunner.run(["log", "--oneline", "--no-abbrev", "-C", repo]).output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(log.count == 8)
        let segment = repo + "/.engram/journal/0000000000000001.log"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[bytes.count / 2] ^= 0x5a
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let refused = try CLIRunner.run(["log", "--oneline", "--no-abbrev", "-C", repo])
        #expect(refused.status != 0 && refused.stderr.contains("engram fsck --repair"))
        #expect(try CLIRunner.run(["fsck", "-C", repo]).status != 0)

        let repair = try CLIRunner.run(["fsck", "--repair", "--json", "-C", repo])
        #expect(repair.status == 0, "\(repair.stderr)")
        let report = try DAGJSON.decode(repair.stdout)
        #expect(report["damage_found"] == .bool(true))
        #expect(report["set_aside"] == .list([.string("damaged/1/journal/0000000000000001.log")]))
        #expect(report["records_dropped"] == .int(1))
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: repo + "/.engram/damaged/1/journal/0000000000000001.log"))) == bytes)

        #expect(try CLIRunner.run(["fsck", "-C", repo]).status == 0)
        let after = try CLIRunner.run(["log", "--oneline", "--no-abbrev", "-C", repo])
        #expect(after.status == 0)
        let kept = after.output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(!kept.isEmpty && Array(log.suffix(kept.count)) == kept, "the surviving history is the original's")
        let lost = report["commits_lost"].flatMap { if case .list(let l) = $0 { l.count } else { nil } }
        #expect(lost == log.count - kept.count)

        let again = try CLIRunner.run(["fsck", "--repair", "-C", repo])
        #expect(again.status == 0 && again.output == "no damage found: nothing changed\n")
    }

    /// What repair does not guess at (a damaged `MANIFEST`) fails with the reason and changes nothing.
    @Test func anUnrepairableStoreExitsNonZeroUnchanged() throws {
        let repo = StoreCLITests.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try CLIRunner.run(["init", repo]).status == 0)
        let manifest = repo + "/.engram/MANIFEST"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: manifest)))
        bytes[bytes.count - 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: manifest))
        let repair = try CLIRunner.run(["fsck", "--repair", "-C", repo])
        #expect(repair.status != 0 && repair.stderr.contains("MANIFEST is corrupt"), "\(repair.stderr)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: manifest))) == bytes)
        #expect(!FileManager.default.fileExists(atPath: repo + "/.engram/damaged"))
    }
}
