import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// Random archives written by ``CARWriter`` and read back by both readers, whole, in chunks and
/// through a file; the writer hands its sink large buffers.
struct CARRoundTripTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomArchive(seed: UInt64) async throws {
        let blocks = randomBlocks(seed: seed, count: 60)
        let roots = Array(blocks.prefix(Int(seed % 3)).map(\.cid))
        var chunks: [[UInt8]] = []
        var writer = try CARWriter(roots: roots, bufferSize: 4096) { chunks.append($0) }
        for block in blocks { try writer.write(block) }
        try writer.finish()
        let bytes = chunks.flatMap { $0 }
        #expect(writer.byteCount == bytes.count)
        #expect(writer.blockCount == blocks.count)
        // Buffered: every chunk but the last reaches the buffer size.
        #expect(chunks.dropLast().allSatisfy { $0.count >= 4096 })
        #expect(try CARWriter.archive(roots: roots, blocks: blocks) == bytes)

        var rng = SplitMix64(seed: seed)
        let (header, read) = try readArchive(bytes, readSize: Int.random(in: 1...300, using: &rng))
        #expect(header == CARHeader(roots: roots))
        #expect(read == blocks)
        let sizes = (0..<5).map { _ in Int.random(in: 1...5000, using: &rng) }
        let (asyncHeader, asyncRead) = try await readArchiveAsync(bytes, chunkSizes: sizes)
        #expect(asyncHeader == header)
        #expect(asyncRead == blocks)
    }

    @Test func fileRoundTrip() throws {
        let blocks = randomBlocks(seed: 99, count: 40)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("engram-car-\(UUID().uuidString).car").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CARWriter.write(roots: [blocks[5].cid], blocks: blocks, toFile: path)
        var reader = try CARReader(path: path)
        #expect(reader.roots == [blocks[5].cid])
        #expect(try reader.readAll() == blocks)
        #expect(reader.offset == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        #expect(throws: CARError.io(operation: "open", path: path + ".missing", errno: ENOENT)) {
            _ = try CARReader(path: path + ".missing")
        }
    }

    /// Duplicate blocks and blocks at the size limit pass through unchanged.
    @Test func duplicatesAndBlocksAtTheLimit() throws {
        let limits = CARLimits(maxBlockLength: 1000)
        let atLimit = Block(bytes: [UInt8](repeating: 0xab, count: 1000), codec: .raw)
        let empty = Block(bytes: [], codec: .raw)
        let blocks = [atLimit, empty, atLimit, empty]
        let bytes = try CARWriter.archive(roots: [empty.cid, empty.cid], blocks: blocks, limits: limits)
        let (header, read) = try readArchive(bytes, limits: limits)
        #expect(header.roots == [empty.cid, empty.cid])
        #expect(read == blocks)
    }

    /// The spec's CARv1 example rewritten from what was read is the same file, byte for byte:
    /// header encoding and section framing match the reference implementation's.
    @Test(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
    func carv1BasicRewritesIdentically() throws {
        let bytes = try TestFixtures.sharedFile("ipld-ipld/specs/transport/car/fixture/carv1-basic/carv1-basic.car")
        let (header, blocks) = try readArchive(bytes)
        #expect(try CARWriter.archive(roots: header.roots, blocks: blocks) == bytes)
    }
}
