import EngramIPLD

/// The names and fixed headers of the files in a store directory (SPEC.md section 4).
enum StoreFiles {
    static let formatVersion: UInt32 = 1
    static let headerMagic = Array("ENGRAMST".utf8)
    static let segmentMagic = Array("ENGRAMJL".utf8)
    static let packMagic = Array("ENGRAMPK".utf8)
    static let indexMagic = Array("ENGRAMIX".utf8)
    static let manifestMagic = Array("ENGRAMMF".utf8)
    static let segmentHeaderLength = 16
    static let packHeaderLength = 16

    static func header(_ dir: String) -> String { dir + "/HEADER" }
    static func lock(_ dir: String) -> String { dir + "/LOCK" }
    static func manifest(_ dir: String) -> String { dir + "/MANIFEST" }
    static func durable(_ dir: String) -> String { dir + "/DURABLE" }
    static func journalDirectory(_ dir: String) -> String { dir + "/journal" }
    static func packDirectory(_ dir: String) -> String { dir + "/packs" }
    static func segment(_ dir: String, _ n: UInt64) -> String { journalDirectory(dir) + "/" + hex16(n) + ".log" }
    static func pack(_ dir: String, _ n: UInt64) -> String { packDirectory(dir) + "/" + hex16(n) + ".pack" }
    static func index(_ dir: String, _ n: UInt64) -> String { packDirectory(dir) + "/" + hex16(n) + ".idx" }

    static func hex16(_ n: UInt64) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The number in a `<16 hex digits><suffix>` file name.
    static func number(_ name: String, suffix: String) -> UInt64? {
        guard name.hasSuffix(suffix), name.count == 16 + suffix.count else { return nil }
        return UInt64(name.prefix(16), radix: 16)
    }

    /// `HEADER`: `"ENGRAMST" | format version u32 | hash multihash code u64 | crc32c u32` (24 bytes).
    static func encodeHeader(hash: HashFunction) -> [UInt8] {
        var out = headerMagic
        out.appendLE(formatVersion)
        out.appendLE(hash.code.rawValue)
        out.appendLE(CRC32C.checksum(out))
        return out
    }

    static func decodeHeader(_ bytes: [UInt8], path: String) throws(StoreError) -> HashFunction {
        guard bytes.count == 24, Array(bytes[0..<8]) == headerMagic else {
            throw .corruptStore(path: path, reason: "not an Engram store header")
        }
        let crc = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 20, as: UInt32.self)) }
        guard crc == CRC32C.checksum(Array(bytes[0..<20])) else { throw .corruptStore(path: path, reason: "header checksum mismatch") }
        let version = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        guard version <= formatVersion else {
            throw .unsupportedFormat(path: path, found: "version \(version) (this Engram reads up to \(formatVersion))")
        }
        let code = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt64.self)) }
        guard let hash = HashFunction(code: Multicodec(code)) else {
            throw .unsupportedFormat(path: path, found: "hash function code 0x\(String(code, radix: 16))")
        }
        return hash
    }

    /// A segment's header: `"ENGRAMJL" | segment number u64`.
    static func segmentHeader(_ n: UInt64) -> [UInt8] {
        var out = segmentMagic
        out.appendLE(n)
        return out
    }

    /// A pack's header: `"ENGRAMPK" | format version u32 | reserved u32 (0)`.
    static func packHeader() -> [UInt8] {
        var out = packMagic
        out.appendLE(formatVersion)
        out.appendLE(UInt32(0))
        return out
    }
}
