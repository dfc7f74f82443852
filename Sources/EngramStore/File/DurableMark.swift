#if canImport(Glibc)
import Glibc
#endif

/// `DURABLE`: where the journal was last known durable, `"ENGRAMDM" | segment u64 | offset u64 |
/// crc32c u32` (28 bytes, SPEC.md 4.7).
///
/// The writer rewrites it in place after every `fdatasync` of the journal, without syncing it:
/// it only ever names bytes that a completed sync made durable, so a stale or lost mark claims
/// less, never more. At open, an invalid record, a short file or a missing segment before the
/// mark cannot be a torn write (those bytes had reached the disk), so it is reported as damage
/// instead of being cut off like a torn tail.
struct DurableMark: Equatable, Sendable {
    static let magic = Array("ENGRAMDM".utf8)
    static let length = 28

    /// The journal segment the mark is in.
    var segment: UInt64
    /// Every byte of `segment` before this offset was durable.
    var offset: Int

    func encode() -> [UInt8] {
        var out = Self.magic
        out.appendLE(segment)
        out.appendLE(UInt64(offset))
        out.appendLE(CRC32C.checksum(out))
        return out
    }

    /// The mark in `bytes`, or nil when they are not a whole, intact mark (a torn or damaged
    /// mark only loses evidence: nothing is cut on its word).
    static func decode(_ bytes: [UInt8]) -> DurableMark? {
        guard bytes.count == length, Array(bytes[0..<8]) == magic else { return nil }
        let crc = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 24, as: UInt32.self)) }
        guard crc == CRC32C.checksum(Array(bytes[0..<24])) else { return nil }
        let (segment, offset) = bytes.withUnsafeBytes {
            (UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
        }
        guard let offset = Int(exactly: offset) else { return nil }
        return DurableMark(segment: segment, offset: offset)
    }

    /// The mark stored in `directory`, or nil when there is none or it is not intact.
    static func read(_ directory: String, sys: SystemCalls) throws(StoreError) -> DurableMark? {
        let path = StoreFiles.durable(directory)
        guard sys.exists(path) else { return nil }
        return decode(try readWholeFile(path, sys: sys))
    }
}
