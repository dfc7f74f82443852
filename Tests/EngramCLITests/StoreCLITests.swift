import EngramIPLD
import Foundation
import Testing

/// End-to-end tests of `engram init`, `block`, `fsck`, `gc` and `stats`, running the built binary.
@Suite struct StoreCLITests {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static var engramPath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("engram").path
    }

    static func run(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: engramPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ENGRAM_REPO"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: stdin)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: Array(out), stderr: String(decoding: err, as: UTF8.self))
    }

    static func tempRepo() -> String {
        NSTemporaryDirectory() + "/engram-cli-\(UUID().uuidString)"
    }

    @Test func initPutGetStatFsckStats() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.engramPath), "build the engram product first")
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let initResult = try Self.run(["init", repo])
        #expect(initResult.status == 0)
        #expect(FileManager.default.fileExists(atPath: repo + "/.engram/HEADER"))
        #expect(try Self.run(["init", repo]).status != 0, "a second init refuses")

        let raw = try Self.run(["block", "put", "--codec", "raw", "-C", repo], stdin: Array("hello engram".utf8))
        #expect(raw.status == 0)
        #expect(raw.text == "bafkreigv6pqm3xvuoby2z2i2w2g422pxkr2qbruadl3eem7unue7yix6ii\n")

        let json = #"{"a":1,"b":{"/":"bafkreigv6pqm3xvuoby2z2i2w2g422pxkr2qbruadl3eem7unue7yix6ii"}}"#
        let put = try Self.run(["block", "put", "--codec", "dag-json"], stdin: Array(json.utf8), environment: ["ENGRAM_REPO": repo])
        #expect(put.status == 0)
        let cid = try CID(string: put.text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(cid.codec == .dagCBOR, "DAG-JSON input is stored as DAG-CBOR")

        let cbor = try Self.run(["block", "get", cid.description, "-C", repo])
        #expect(cbor.status == 0)
        #expect(CID(hashing: cbor.stdout, codec: .dagCBOR) == cid)
        let back = try Self.run(["block", "get", cid.description, "--output-codec", "dag-json", "-C", repo])
        #expect(back.text == json + "\n")

        let stat = try Self.run(["block", "stat", cid.description, "-C", repo])
        #expect(stat.status == 0 && stat.text.contains("size: \(cbor.stdout.count)"))

        let fsck = try Self.run(["fsck", "--json", "-C", repo])
        #expect(fsck.status == 0)
        let report = try DAGJSON.decode(fsck.stdout)
        #expect(report["clean"] == .bool(true))
        #expect(report["blocks_checked"] == .int(2))

        let stats = try Self.run(["stats", "--json", "-C", repo])
        #expect(try DAGJSON.decode(stats.stdout)["block_records"] == .int(2))
    }

    @Test func gcRemovesUnreferencedBlocks() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.engramPath))
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        #expect(try Self.run(["init", repo, "--hash", "blake2b-256"]).status == 0)
        let put = try Self.run(["block", "put", "--codec", "raw", "-C", repo], stdin: [1, 2, 3])
        let cid = put.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try CID(string: cid).multihash.code == .blake2b_256)
        let dry = try Self.run(["gc", "--dry-run", "-C", repo])
        #expect(dry.status == 0 && dry.text.contains("would free 1 blocks"))
        #expect(try Self.run(["block", "get", cid, "-C", repo]).stdout == [1, 2, 3])
        #expect(try Self.run(["gc", "-C", repo]).text.contains("freed 1 blocks"))
        let gone = try Self.run(["block", "get", cid, "-C", repo])
        #expect(gone.status != 0 && gone.stderr.contains("not found"))
    }

    @Test func badInputIsRefusedWithAReason() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.engramPath))
        let repo = Self.tempRepo()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let missing = try Self.run(["stats", "-C", repo])
        #expect(missing.status != 0 && missing.stderr.contains("not an Engram repository"))
        #expect(try Self.run(["init", repo]).status == 0)
        let badCBOR = try Self.run(["block", "put", "-C", repo], stdin: [0x01, 0x02])
        #expect(badCBOR.status != 0 && badCBOR.stderr.contains("invalid DAG-CBOR"))
        let badCID = try Self.run(["block", "get", "notacid", "-C", repo])
        #expect(badCID.status != 0)
        let stats = try Self.run(["stats", "--json", "-C", repo])
        #expect(try DAGJSON.decode(stats.stdout)["block_records"] == .int(0), "refused input wrote nothing")
    }
}
