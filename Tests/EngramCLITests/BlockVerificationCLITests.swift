import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Issue 9, finding 7, end to end: a node block whose bytes are replaced in the journal by other
/// bytes of the same length, with the record's CRC32C recomputed, is refused by `node get`
/// (naming the CID), as by `block get` and `fsck`, instead of being served with the wrong props.
@Suite(.serialized)
struct BlockVerificationCLITests {
    let dir = TestDirectory.path("engram-verify-cli")
    static let ann = "01890000-0000-7000-8000-00000000000a"

    func run(_ args: [String]) throws -> CLIResult {
        try CLIRunner.run(GraphCLITests.withRepo(args, dir), stdin: "")
    }

    /// CRC32C (Castagnoli, reflected 0x82F63B78), bit by bit: independent of the store's.
    static func crc32c(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    /// The node block as SPEC 7.2 lays it out.
    static func nodeBlock(name: String) throws -> [UInt8] {
        let hex = Array(ann.utf8.filter { $0 != UInt8(ascii: "-") })
        let id = stride(from: 0, to: 32, by: 2).map { UInt8(String(decoding: hex[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
        return try DAGCBOR.encode(["id": .bytes(id), "_kind": "node", "label": "Person", "props": ["name": .string(name)]])
    }

    @Test func nodeGetRefusesABlockReplacedWithAValidCRC() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Self.crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(try run(["init"]).status == 0)
        #expect(try run(["node", "add", "--label", "Person", "--prop", "name=alice", "--id", Self.ann]).status == 0)
        #expect(try run(["commit", "-m", "one"]).status == 0)
        #expect(try run(["node", "get", Self.ann]).output.contains("alice"))

        let old = try Self.nodeBlock(name: "alice"), new = try Self.nodeBlock(name: "mallo")
        let cid = CID(hashing: old, codec: .dagCBOR, function: .sha2_256)
        // A raw block record: length u32 LE | kind 1 | CID | encoding 0 | raw length u32 LE | bytes | crc32c u32 LE.
        let body = cid.bytes + [0] + withUnsafeBytes(of: UInt32(old.count).littleEndian, Array.init) + old
        let record = withUnsafeBytes(of: UInt32(body.count).littleEndian, Array.init) + [1] + body
        let journal = dir + "/.engram/journal"
        var patched = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: journal) {
            let path = journal + "/" + name
            var data = Array(FileManager.default.contents(atPath: path) ?? Data())
            guard let at = Self.find(record, in: data) else { continue }
            let end = at + record.count
            #expect(Array(data[end..<(end + 4)]) == withUnsafeBytes(of: Self.crc32c(record).littleEndian, Array.init))
            data.replaceSubrange((end - new.count)..<end, with: new)
            data.replaceSubrange(end..<(end + 4), with: withUnsafeBytes(of: Self.crc32c(data[at..<end]).littleEndian, Array.init))
            try Data(data).write(to: URL(fileURLWithPath: path))
            patched += 1
        }
        #expect(patched == 1)

        let get = try run(["node", "get", Self.ann])
        #expect(get.status != 0)
        #expect(!get.output.contains("mallo"))
        #expect(get.stderr.contains("\(cid)") && get.stderr.contains("do not hash to the CID"), "\(get.stderr)")
        #expect(try run(["block", "get", cid.description]).status != 0)
        #expect(try run(["fsck"]).status != 0)
    }

    static func find(_ needle: [UInt8], in data: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        return (0...(data.count - needle.count)).first { data[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
