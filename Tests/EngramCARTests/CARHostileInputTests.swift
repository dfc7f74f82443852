import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Testing

/// Crafted archives, one per error: each is refused with the error naming what is wrong and
/// where, never a trap and never a block whose bytes do not match its CID.
struct CARHostileInputTests {
    static let block = Block(bytes: Array("a block: é, e\u{301}, \0 and 水".utf8), codec: .raw)
    static let root = Block(bytes: [0xa1, 0x61, 0x61, 0x01])  // {"a": 1}

    static func varint(_ value: UInt64) -> [UInt8] { (try? Varint.encode(value)) ?? [] }

    /// `varint(length) body`.
    static func framed(_ body: [UInt8]) -> [UInt8] { varint(UInt64(body.count)) + body }

    static func header(_ value: IPLD) -> [UInt8] { framed((try? DAGCBOR.encode(value)) ?? []) }

    static let validHeader = (try? CARHeader(roots: [root.cid]).encoded()) ?? []

    static func section(cid: [UInt8], bytes: [UInt8]) -> [UInt8] { framed(cid + bytes) }

    @Test func emptyInputIsATruncatedHeader() {
        #expect(readError([]) == .truncated(.header, offset: 0))
    }

    @Test func headerShorterThanItsLengthIsTruncated() {
        #expect(readError(Self.validHeader.dropLast()) == .truncated(.header, offset: 0))
        #expect(readError([0x80]) == .truncated(.header, offset: 0))  // inside the length varint
    }

    @Test func sectionShorterThanItsLengthIsTruncated() {
        let section = Self.section(cid: Self.block.cid.bytes, bytes: Self.block.bytes)
        let archive = Self.validHeader + section
        #expect(readError(archive.dropLast()) == .truncated(.section, offset: Self.validHeader.count))
        #expect(readError(Self.validHeader + [0xff]) == .truncated(.section, offset: Self.validHeader.count))
    }

    @Test func nonMinimalVarints() {
        #expect(readError([0x80, 0x00]) == .nonMinimalVarint(offset: 0))
        let body = Self.block.cid.bytes + Self.block.bytes
        // The section length with a redundant zero group.
        let padded = [UInt8(body.count) | 0x80, 0x00] + body
        #expect(readError(Self.validHeader + padded) == .nonMinimalVarint(offset: Self.validHeader.count))
    }

    @Test func varintsOverNineBytes() {
        #expect(readError([UInt8](repeating: 0xff, count: 10)) == .varintTooLong(offset: 0))
        #expect(readError(Self.validHeader + [UInt8](repeating: 0x80, count: 12)) == .varintTooLong(offset: Self.validHeader.count))
    }

    @Test func headerLengthOverTheLimitOrZero() {
        #expect(readError(Self.varint(8 << 20 + 1)) == .headerTooLarge(length: 8 << 20 + 1, limit: 8 << 20))
        #expect(readError(Self.varint(Varint.maxValue)) == .headerTooLarge(length: Varint.maxValue, limit: 8 << 20))
        #expect(readError([0x00]) == .headerTooLarge(length: 0, limit: 8 << 20))
        let small = CARLimits(maxHeaderLength: 16)
        #expect(readError(Self.validHeader, limits: small) == .headerTooLarge(length: UInt64(Self.validHeader.count - 1), limit: 16))
    }

    @Test func headerThatIsNotDAGCBOR() {
        guard case .headerNotDAGCBOR = readError(Self.framed([0xff])) else { Issue.record("break byte accepted"); return }
        // Keys out of canonical order: "version" before "roots".
        let unordered = [0xa2, 0x67] + Array("version".utf8) + [0x01, 0x65] + Array("roots".utf8) + [0x80]
        #expect(readError(Self.framed(unordered)) == .headerNotDAGCBOR(DAGCBORError(.mapKeysOutOfOrder, at: 10)))
    }

    @Test func headerWithBytesAfterItsMap() {
        let body = ((try? DAGCBOR.encode(.map(["roots": .list([]), "version": .int(1)]))) ?? []) + [0x00]
        #expect(readError(Self.framed(body)) == .trailingBytes(.header, offset: body.count))
    }

    @Test func wrongOrMissingVersion() {
        #expect(readError(Self.header(.map(["roots": .list([]), "version": .int(3)]))) == .unsupportedVersion("3"))
        #expect(readError(Self.header(.map(["roots": .list([])]))) == .unsupportedVersion("(none)"))
        #expect(readError(Self.header(.map(["roots": .list([]), "version": .string("1")]))) == .unsupportedVersion("of kind string"))
        // Version 2 with roots is neither a CARv1 header nor the CARv2 pragma.
        #expect(readError(Self.header(.map(["roots": .list([]), "version": .int(2)]))) == .unsupportedVersion("2"))
    }

    @Test func missingRoots() {
        #expect(readError(Self.header(.map(["version": .int(1)]))) == .missingRoots)
    }

    @Test func headersOfTheWrongShape() {
        #expect(readError(Self.header(.list([]))) == .invalidHeader(reason: "a list, not a map"))
        #expect(readError(Self.header(.map(["roots": .int(1), "version": .int(1)]))) == .invalidHeader(reason: "roots is a integer, not a list"))
        #expect(readError(Self.header(.map(["roots": .list([.link(Self.root.cid), .bytes([])]), "version": .int(1)])))
            == .invalidHeader(reason: "root 1 is a bytes, not a link"))
        let threeRoots = Self.header(.map(["roots": .list(Array(repeating: .link(Self.root.cid), count: 3)), "version": .int(1)]))
        #expect(readError(threeRoots, limits: CARLimits(maxRoots: 2)) == .invalidHeader(reason: "3 roots, over the limit of 2"))
    }

    /// The CARv2 pragma, then a fixed header with the given data offset and size.
    static func carv2(dataOffset: UInt64, dataSize: UInt64) -> [UInt8] {
        let pragma: [UInt8] = [0x0a, 0xa1, 0x67] + Array("version".utf8) + [0x02]
        func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return pragma + [UInt8](repeating: 0, count: 16) + le(dataOffset) + le(dataSize) + le(0)
    }

    @Test func carv2HeadersThatLie() {
        #expect(readError(Self.carv2(dataOffset: 50, dataSize: 0)) == .invalidV2Header(reason: "data offset 50 is before the header's end at 51"))
        #expect(readError(Self.carv2(dataOffset: .max, dataSize: 0)) == .invalidV2Header(reason: "data offset \(UInt64.max) is before the header's end at 51"))
        #expect(readError(Self.carv2(dataOffset: 51, dataSize: UInt64(Int.max))) == .invalidV2Header(reason: "data offset 51 plus size \(Int.max) overflows"))
        #expect(readError(Array(Self.carv2(dataOffset: 51, dataSize: 0).prefix(30))) == .truncated(.v2Header, offset: 11))
        // The data payload lies past the end of the file.
        #expect(readError(Self.carv2(dataOffset: 100, dataSize: 10)) == .truncated(.v2Header, offset: 51))
    }

    @Test func carv2WithAValidPayloadAfterPadding() throws {
        let payload = Self.validHeader + Self.section(cid: Self.block.cid.bytes, bytes: Self.block.bytes)
        let archive = Self.carv2(dataOffset: 60, dataSize: UInt64(payload.count)) + [UInt8](repeating: 0xee, count: 9) + payload + [1, 2, 3]
        let (header, blocks) = try readArchive(archive)
        #expect(header == CARHeader(roots: [Self.root.cid], version: 2))
        #expect(blocks == [Self.block])
        // A section that runs past the declared payload end is truncated there.
        let short = Self.carv2(dataOffset: 51, dataSize: UInt64(payload.count - 1)) + payload
        #expect(readError(short) == .truncated(.section, offset: 51 + Self.validHeader.count))
    }

    @Test func carv2PragmaInsideItsPayload() {
        let pragma = Self.header(.map(["version": .int(2)]))
        let archive = Self.carv2(dataOffset: 51, dataSize: UInt64(pragma.count)) + pragma
        #expect(readError(archive) == .unsupportedVersion("2 inside a CARv2 payload"))
    }

    @Test func zeroLengthSection() {
        #expect(readError(Self.validHeader + [0x00]) == .invalidSection(reason: "its length is zero", offset: Self.validHeader.count))
    }

    @Test func sectionLengthOverTheLimit() {
        let limit = 2 << 20 + CID.maxBinaryLength
        #expect(readError(Self.validHeader + Self.varint(1 << 62)) == .sectionTooLarge(length: 1 << 62, limit: limit, offset: Self.validHeader.count))
        #expect(readError(Self.validHeader + Self.varint(UInt64(limit + 1))) == .sectionTooLarge(length: UInt64(limit + 1), limit: limit, offset: Self.validHeader.count))
    }

    @Test func blockOverTheLimit() {
        let big = Block(bytes: [UInt8](repeating: 7, count: 101), codec: .raw)
        let archive = Self.validHeader + Self.section(cid: big.cid.bytes, bytes: big.bytes)
        #expect(readError(archive, limits: CARLimits(maxBlockLength: 100)) == .blockTooLarge(big.cid, length: 101, limit: 100, offset: Self.validHeader.count))
        #expect(readError(archive, limits: CARLimits(maxBlockLength: 101)) == nil)
    }

    @Test func malformedCIDs() {
        let at = Self.validHeader.count
        #expect(readError(Self.validHeader + Self.section(cid: [0x02, 0x55, 0x12, 0x20], bytes: [])) == .invalidCID(.unsupportedVersion(2), offset: at))
        // A digest longer than the section.
        #expect(readError(Self.validHeader + Self.section(cid: [0x01, 0x55, 0x12, 0x20, 0x00], bytes: []))
            == .invalidCID(.truncatedDigest(expected: 32, available: 1), offset: at))
    }

    @Test func blockWhoseBytesDoNotMatchItsCID() {
        var bytes = Self.block.bytes
        bytes[3] ^= 0x01
        let archive = Self.validHeader + Self.section(cid: Self.block.cid.bytes, bytes: bytes)
        #expect(readError(archive) == .hashMismatch(Self.block.cid, offset: Self.validHeader.count))
    }

    @Test func blockWhoseHashCannotBeComputed() throws {
        let cid = CID(codec: .raw, multihash: Multihash(code: .sha3_512, digest: Digest([UInt8](repeating: 1, count: 64))))
        let archive = Self.validHeader + Self.section(cid: cid.bytes, bytes: [1, 2, 3])
        #expect(readError(archive) == .unsupportedHash(cid, offset: Self.validHeader.count))
    }

    /// A digest shorter than its function's output verifies only a prefix (an empty one, any
    /// bytes): refused unless allowed. Found by the `car` fuzz harness.
    @Test func blockWhoseCIDHasATruncatedDigest() throws {
        let full = Self.block.cid.multihash.digest.withUnsafeBytes { Array($0) }
        for length in [0, 1, 20, 31] {
            let cid = CID(codec: .raw, multihash: Multihash(code: .sha2_256, digest: Digest(Array(full.prefix(length)))))
            let archive = Self.validHeader + Self.section(cid: cid.bytes, bytes: Self.block.bytes)
            #expect(readError(archive) == .truncatedDigest(cid, offset: Self.validHeader.count))
            let (_, blocks) = try readArchive(archive, limits: CARLimits(allowsTruncatedDigests: true))
            #expect(blocks.map(\.bytes) == [Self.block.bytes])
        }
        // An empty sha2-256 digest with other bytes: what the fuzzer found.
        let empty = CID(codec: .dagCBOR, multihash: Multihash(code: .sha2_256, digest: Digest([])))
        #expect(readError(Self.validHeader + Self.section(cid: empty.bytes, bytes: [0xf6])) == .truncatedDigest(empty, offset: Self.validHeader.count))
    }

    /// A writer refuses what a reader with the same limits would refuse.
    @Test func writerRefusesOversizedBlocksAndTooManyRoots() throws {
        var sink: [UInt8] = []
        var writer = try CARWriter(roots: [], limits: CARLimits(maxBlockLength: 10)) { sink += $0 }
        #expect(throws: CARError.blockTooLarge(Self.block.cid, length: Self.block.bytes.count, limit: 10, offset: 18)) {
            try writer.write(Self.block)
        }
        #expect(throws: CARError.invalidHeader(reason: "2 roots, over the limit of 1")) {
            _ = try CARWriter(roots: [Self.root.cid, Self.root.cid], limits: CARLimits(maxRoots: 1)) { _ in }
        }
        #expect(throws: CARError.headerTooLarge(length: 58, limit: 40)) {
            _ = try CARWriter(roots: [Self.root.cid], limits: CARLimits(maxHeaderLength: 40)) { _ in }
        }
    }
}
