import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Testing

/// A small archive cut at every offset, and with every bit flipped: a cut inside the header or
/// a section is ``CARError/truncated(_:offset:)`` naming where that item began; a cut at a
/// section boundary is a shorter valid archive; no input traps or yields a block whose bytes do
/// not hash to its CID.
struct CARTruncationTests {
    static let blocks = randomBlocks(seed: 7, count: 4).map { Block(bytes: Array($0.bytes.prefix(200)), codec: $0.cid.codec) }
    static let roots = [blocks[0].cid, blocks[2].cid]

    /// The archive and where each of its sections begins (the last entry is its end).
    static func archive() throws -> (bytes: [UInt8], boundaries: [Int]) {
        var boundaries: [Int] = []
        var bytes: [UInt8] = []
        var writer = try CARWriter(roots: roots, bufferSize: 1) { bytes += $0 }
        boundaries.append(writer.byteCount)
        for block in blocks {
            try writer.write(block)
            boundaries.append(writer.byteCount)
        }
        try writer.finish()
        return (bytes, boundaries)
    }

    @Test func everyCut() async throws {
        let (bytes, boundaries) = try Self.archive()
        let headerEnd = boundaries[0]
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            if let complete = boundaries.firstIndex(of: cut) {
                let (header, read) = try readArchive(prefix)
                #expect(header.roots == Self.roots)
                #expect(read == Array(Self.blocks.prefix(complete)))
                continue
            }
            let expected: CARError = cut < headerEnd
                ? .truncated(.header, offset: 0)
                : .truncated(.section, offset: boundaries.last { $0 <= cut } ?? -1)
            #expect(readError(prefix) == expected, "cut at \(cut)")
            await #expect(throws: expected) { _ = try await readArchiveAsync(prefix, chunkSizes: [1, 2, 5]) }
        }
    }

    @Test func everyBitFlipped() throws {
        let (bytes, _) = try Self.archive()
        let originals = Set(Self.blocks.map(\.bytes))
        for offset in 0..<bytes.count {
            for bit in [0, 3, 7] {
                var damaged = bytes
                damaged[offset] ^= 1 << bit
                var reader: CARReader<CARBytesSource>
                do { reader = try CARReader(bytes: damaged) } catch is CARError { continue }
                while true {
                    let block: Block?
                    do { block = try reader.next() } catch is CARError { break }
                    guard let block else { break }
                    // Checked again here, independently of the reader: the CID's hash of the bytes.
                    #expect(Multihash(hashing: block.bytes, with: HashFunction(code: block.cid.multihash.code) ?? .sha2_256) == block.cid.multihash)
                    #expect(originals.contains(block.bytes), "flip at \(offset) bit \(bit) produced new bytes")
                }
            }
        }
    }
}
