import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// Golden vectors in Fixtures/store/record-vectors.json (made by an independent script): the
/// encoder must produce them byte for byte and the decoder must read them back.
@Suite struct RecordVectorTests {
    struct Vector: Decodable { var hex: String; var crc: String?; var cid: String? }
    struct Vectors: Decodable { var header: Vector; var block_record: Vector; var commit_record: Vector }

    let vectors: Vectors

    init() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/store/record-vectors.json")
        vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    func bytes(_ v: Vector) throws -> [UInt8] {
        let decoded = Hex.decode(v.hex)
        return try #require(decoded)
    }

    @Test func headerVector() throws {
        #expect(StoreFiles.encodeHeader(hash: .sha2_256) == (try bytes(vectors.header)))
        #expect(try StoreFiles.decodeHeader(try bytes(vectors.header), path: "HEADER") == .sha2_256)
    }

    @Test func blockRecordVector() throws {
        let block = Block(bytes: Array("hello engram".utf8), codec: .raw)
        let g = vectors.block_record
        #expect(block.cid.description == g.cid)
        var out: [UInt8] = []
        BlockRecord.append(block, level: 3, to: &out)
        let expected = try bytes(vectors.block_record)
        #expect(out == expected)
        try expected.withUnsafeBytes { buf in
            let frame = try Record.read(buf, at: 0)
            #expect(String(format: "%08x", CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[0..<frame.body.upperBound]))) == g.crc)
            let (cid, bytes) = try BlockRecord.decode(buf, body: frame.body)
            #expect(cid == block.cid && bytes == block.bytes)
        }
    }

    @Test func commitRecordVector() throws {
        let cid = Block(bytes: Array("hello engram".utf8), codec: .raw).cid
        let commit = CommitRecord(sequence: 1, time: 1_700_000_000_000_000, message: "first",
                                  updates: [("refs/heads/main", nil, .cid(cid))])
        var out: [UInt8] = []
        try commit.append(to: &out)
        let expected = try bytes(vectors.commit_record)
        #expect(out == expected)
        try expected.withUnsafeBytes { buf in
            let frame = try Record.read(buf, at: 0)
            #expect(try CommitRecord.decode(buf, body: frame.body) == commit)
        }
    }

    @Test func everyTruncationOrFlipOfARecordIsRejected() throws {
        let expected = try bytes(vectors.block_record)
        for cut in 0..<expected.count {
            Array(expected[0..<cut]).withUnsafeBytes { buf in
                #expect(throws: Record.Invalid.truncated) { try Record.read(buf, at: 0) }
            }
        }
        for i in 0..<expected.count {
            var damaged = expected
            damaged[i] ^= 0x01
            damaged.withUnsafeBytes { buf in
                #expect(throws: Record.Invalid.self) { try Record.read(buf, at: 0) }
            }
        }
    }
}
