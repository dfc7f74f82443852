import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// Engram's CAR files against an independent implementation: archives Engram writes are decoded
/// by the Python `libipld` package (`decode_car`, which reads DAG-CBOR blocks only), and
/// archives written by a hand-made Python writer (`Fixtures/car/independent.py`) are read by
/// Engram. `Fixtures/car/python-env.sh` installs libipld into `.build/python-venv` when missing.
// Never skipped: `scripts/test.sh` installs python3 and venv, and without them this fails.
@Suite
struct IndependentReaderTests {
    static let script = TestFixtures.project.appendingPathComponent("car/independent.py").path

    /// The interpreter with libipld, set up once.
    static let python: Result<URL, Error> = Result {
        let result = try CLIRunner.run(
            [TestFixtures.project.appendingPathComponent("car/python-env.sh").path], program: URL(fileURLWithPath: "/bin/bash"))
        guard result.status == 0 else { throw TestFixtures.FixtureError.missing("libipld: \(result.stderr)") }
        return URL(fileURLWithPath: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `independent.py mode path` and parses its JSON.
    static func independent(_ mode: String, _ path: String) throws -> [String: Any] {
        let result = try CLIRunner.run([script, mode, path], program: try python.get())
        guard result.status == 0 else { throw TestFixtures.FixtureError.malformed("independent.py \(mode): \(result.stderr)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] else {
            throw TestFixtures.FixtureError.malformed(result.output)
        }
        return json
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("engram-car-\(UUID().uuidString).car").path
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func libipldReadsWhatEngramWrites(seed: UInt64) throws {
        // libipld reads DAG-CBOR sha2-256 blocks only.
        var rng = SplitMix64(seed: seed)
        var blocks = (0..<80).compactMap { _ in (try? Block(encoding: RandomIPLD.value(&rng, depth: 4))) }
        blocks += [blocks[3]]  // a duplicate section
        let roots = [blocks[7].cid, blocks[0].cid, blocks[7].cid]
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CARWriter.write(roots: roots, blocks: blocks, toFile: path)

        let decoded = try Self.independent("read", path)
        #expect(decoded["roots"] as? [String] == roots.map { hex($0.bytes) })
        let theirs = try #require(decoded["blocks"] as? [String: String])
        let ours = Dictionary(blocks.map { (hex($0.cid.bytes), hex($0.bytes)) }, uniquingKeysWith: { a, _ in a })
        #expect(theirs == ours)
    }

    @Test func engramReadsWhatAnotherWriterWrites() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try Self.independent("write", path)
        let roots = try #require(written["roots"] as? [String])
        let blocks = try #require(written["blocks"] as? [[String]])
        #expect(blocks.count == 41)

        var reader = try CARReader(path: path)
        #expect(reader.roots.map { hex($0.bytes) } == roots)
        let read = try reader.readAll()
        #expect(read.map { [hex($0.cid.bytes), hex($0.bytes)] } == blocks)
        #expect(Set(read.map(\.cid.codec)) == [.dagCBOR, .raw])
        #expect(Set(read.map(\.cid.multihash.code)) == [.sha2_256, .blake2b_256])
        let (_, chunked) = try await readArchiveAsync(try TestFixtures.bytes(of: URL(fileURLWithPath: path)), chunkSizes: [13, 1000, 2])
        #expect(chunked == read)
    }
}
