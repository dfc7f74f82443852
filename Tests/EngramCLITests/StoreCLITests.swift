import EngramIPLD
import Foundation
import EngramTestSupport
import Testing

/// End-to-end tests of `engram init`, `block`, `fsck`, `gc` and `stats`, running the built binary.
@Suite struct StoreCLITests {
    static func tempRepo() -> String {
        TestDirectory.path("engram-cli")
    }

    @Test func initPutGetStatFsckStats() throws {
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let initResult = try CLIRunner.run(["init", repo])
        #expect(initResult.status == 0)
        #expect(FileManager.default.fileExists(atPath: repo + "/.engram/HEADER"))
        #expect(try CLIRunner.run(["init", repo]).status != 0, "a second init refuses")

        let raw = try CLIRunner.run(["block", "put", "--codec", "raw", "-C", repo], stdin: Array("hello engram".utf8))
        #expect(raw.status == 0)
        #expect(raw.output == "bafkreigv6pqm3xvuoby2z2i2w2g422pxkr2qbruadl3eem7unue7yix6ii\n")

        let json = #"{"a":1,"b":{"/":"bafkreigv6pqm3xvuoby2z2i2w2g422pxkr2qbruadl3eem7unue7yix6ii"}}"#
        let put = try CLIRunner.run(["block", "put", "--codec", "dag-json"], stdin: Array(json.utf8), environment: ["ENGRAM_REPO": repo])
        #expect(put.status == 0)
        let cid = try CID(string: put.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(cid.codec == .dagCBOR, "DAG-JSON input is stored as DAG-CBOR")

        let cbor = try CLIRunner.run(["block", "get", cid.description, "-C", repo])
        #expect(cbor.status == 0)
        #expect(CID(hashing: cbor.stdout, codec: .dagCBOR) == cid)
        let back = try CLIRunner.run(["block", "get", cid.description, "--output-codec", "dag-json", "-C", repo])
        #expect(back.output == json + "\n")

        let stat = try CLIRunner.run(["block", "stat", cid.description, "-C", repo])
        #expect(stat.status == 0 && stat.output.contains("size: \(cbor.stdout.count)"))

        let fsck = try CLIRunner.run(["fsck", "--json", "-C", repo])
        #expect(fsck.status == 0)
        let report = try DAGJSON.decode(fsck.stdout)
        #expect(report["clean"] == .bool(true))
        #expect(report["blocks_checked"] == .int(2))

        let stats = try CLIRunner.run(["stats", "--json", "-C", repo])
        #expect(try DAGJSON.decode(stats.stdout)["block_records"] == .int(2))
    }

    @Test func gcRemovesUnreferencedBlocks() throws {
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try CLIRunner.run(["init", repo, "--hash", "blake2b-256"]).status == 0)
        let put = try CLIRunner.run(["block", "put", "--codec", "raw", "-C", repo], stdin: [1, 2, 3])
        let cid = put.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try CID(string: cid).multihash.code == .blake2b_256)
        let dry = try CLIRunner.run(["gc", "--dry-run", "-C", repo])
        #expect(dry.status == 0 && dry.output.contains("would free 1 blocks"))
        #expect(try CLIRunner.run(["block", "get", cid, "-C", repo]).stdout == [1, 2, 3])
        #expect(try CLIRunner.run(["gc", "-C", repo]).output.contains("freed 1 blocks"))
        let gone = try CLIRunner.run(["block", "get", cid, "-C", repo])
        #expect(gone.status != 0 && gone.stderr.contains("not found"))
    }

    /// Issue 9 finding 8: a journal segment missing between two others (as a sealed segment
    /// deleted by hand) is reported by every command, reader or writer, as damage naming the
    /// segment; never as the loader's private `RaceWithWriter()` retry signal.
    @Test func aMissingSegmentIsReportedAsDamageByEveryCommand() throws {
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try CLIRunner.run(["init", repo]).status == 0)
        let put = try CLIRunner.run(["block", "put", "--codec", "raw", "-C", repo], stdin: Array("\u{e9}\u{0}".utf8))
        let cid = put.output.trimmingCharacters(in: .newlines)
        let journal = repo + "/.engram/journal/"
        try FileManager.default.copyItem(atPath: journal + "0000000000000001.log", toPath: journal + "0000000000000003.log")
        for command in [["log"], ["fsck"], ["status"], ["stats"], ["block", "get", cid], ["gc", "--dry-run"], ["gc"],
                        ["node", "add", "--label", "Cafe\u{301}"]] {
            let split = command[0] == "block" || command[0] == "node" ? 2 : 1
            let r = try CLIRunner.run(Array(command.prefix(split)) + ["-C", repo] + Array(command.dropFirst(split)))
            #expect(r.status != 0, "\(command)")
            #expect(r.stderr.contains("0000000000000002.log is damaged at byte 0: journal segment 0000000000000002 is missing"),
                    "\(command): \(r.stderr)")
            #expect(!r.stderr.contains("Race"), "\(command): \(r.stderr)")
        }
    }

    /// Every file of a directory tree with its bytes.
    static func contents(of dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    /// `gc --dry-run` only reads: it runs while a writer holds the lock, and changes no file
    /// (no compaction, no pack or temporary file), while `gc` itself is refused.
    @Test func gcDryRunOnlyReadsAndRunsBesideAWriter() throws {
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try CLIRunner.run(["init", repo]).status == 0)
        for i in 0..<3 { _ = try CLIRunner.run(["block", "put", "--codec", "raw", "-C", repo], stdin: Array("garbage \u{e9} \(i)\u{0}".utf8)) }
        let store = repo + "/.engram"
        let before = try Self.contents(of: store)
        // Hold the writer's lock as a running writer does.
        let fd = open(store, O_RDONLY | O_DIRECTORY)
        try #require(fd >= 0)
        defer { close(fd) }
        let lock: @convention(c) (Int32, Int32) -> Int32 = flock
        try #require(lock(fd, LOCK_EX | LOCK_NB) == 0)
        let dry = try CLIRunner.run(["gc", "--dry-run", "-C", repo])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.output.contains("would free 3 blocks"), "\(dry.output)")
        #expect(try Self.contents(of: store) == before, "a dry run changed the store's files")
        let real = try CLIRunner.run(["gc", "-C", repo])
        #expect(real.status != 0 && real.stderr.contains("locked"), "\(real.stderr)")
        _ = lock(fd, LOCK_UN)
        #expect(try CLIRunner.run(["gc", "-C", repo]).output.contains("freed 3 blocks"))
    }

    @Test func badInputIsRefusedWithAReason() throws {
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let missing = try CLIRunner.run(["stats", "-C", repo])
        #expect(missing.status != 0 && missing.stderr.contains("not an Engram repository"))
        #expect(try CLIRunner.run(["init", repo]).status == 0)
        let badCBOR = try CLIRunner.run(["block", "put", "-C", repo], stdin: [0x01, 0x02])
        #expect(badCBOR.status != 0 && badCBOR.stderr.contains("invalid DAG-CBOR"))
        let badCID = try CLIRunner.run(["block", "get", "notacid", "-C", repo])
        #expect(badCID.status != 0)
        let stats = try CLIRunner.run(["stats", "--json", "-C", repo])
        #expect(try DAGJSON.decode(stats.stdout)["block_records"] == .int(0), "refused input wrote nothing")
    }
}
