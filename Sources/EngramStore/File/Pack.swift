import EngramIPLD

/// An immutable pack: a `.pack` file of block records sorted by key and its `.idx` index, both
/// mapped read-only. Lookups are a fanout step plus a binary search: O(log n), no load at open.
///
/// `.idx` = `"ENGRAMIX" | version u32 | reserved u32 | count u64 | fanout 65536 × u32
/// (entries whose key's top 16 bits are <= i) | count × entry | crc32c u32` where an entry is
/// `key u64 | offset u64 | record length u32 | reserved u32` (24 bytes), sorted by key.
final class Pack: Sendable {
    static let indexHeaderLength = 24
    static let fanoutCount = 65536
    static let entryLength = 24
    static var entriesStart: Int { indexHeaderLength + fanoutCount * 4 }

    let number: UInt64
    let data: MappedFile
    let index: MappedFile
    let count: Int

    init(directory: String, number: UInt64, sys: SystemCalls) throws(StoreError) {
        self.number = number
        data = try MappedFile(path: StoreFiles.pack(directory, number), sys: sys)
        index = try MappedFile(path: StoreFiles.index(directory, number), sys: sys)
        let idx = index.bytes
        guard idx.count >= Self.entriesStart + 4, Array(idx[0..<8]) == StoreFiles.indexMagic else {
            throw .corruptStore(path: index.path, reason: "not a pack index")
        }
        let version = idx.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard UInt32(littleEndian: version) <= StoreFiles.formatVersion else {
            throw .unsupportedFormat(path: index.path, found: "pack index version \(version)")
        }
        count = Int(UInt64(littleEndian: idx.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
        guard idx.count == Self.entriesStart + count * Self.entryLength + 4 else {
            throw .corruptStore(path: index.path, reason: "size \(idx.count) does not match \(count) entries")
        }
        guard data.count >= StoreFiles.packHeaderLength, Array(data.bytes[0..<8]) == StoreFiles.packMagic else {
            throw .corruptStore(path: data.path, reason: "not a pack")
        }
    }

    struct Entry { var key: UInt64; var offset: Int; var length: Int }

    @inline(__always)
    func entry(_ i: Int) -> Entry {
        let at = Self.entriesStart + i * Self.entryLength
        let b = index.bytes
        return Entry(
            key: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
            offset: Int(UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))),
            length: Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self))))
    }

    @inline(__always)
    func fanout(_ i: Int) -> Int {
        Int(UInt32(littleEndian: index.bytes.loadUnaligned(fromByteOffset: Self.indexHeaderLength + i * 4, as: UInt32.self)))
    }

    /// The record bytes of an entry, or nil when the entry points outside the pack.
    func record(_ e: Entry) -> UnsafeRawBufferPointer? {
        guard e.offset >= StoreFiles.packHeaderLength, e.length >= Record.overhead, e.offset + e.length <= data.count else { return nil }
        return UnsafeRawBufferPointer(rebasing: data.bytes[e.offset..<e.offset + e.length])
    }

    /// The entries whose key is `key`.
    func entries(withKey key: UInt64) -> Range<Int> {
        guard let base = index.base else { return 0..<0 }
        let bucket = Int(key >> 48)
        let fanout = base + Self.indexHeaderLength
        var lo = bucket == 0 ? 0 : Int(UInt32(littleEndian: fanout.loadUnaligned(fromByteOffset: (bucket - 1) * 4, as: UInt32.self)))
        var hi = Int(UInt32(littleEndian: fanout.loadUnaligned(fromByteOffset: bucket * 4, as: UInt32.self)))
        guard lo < hi, hi <= count else { return 0..<0 }
        // Only the keys are read during the search, straight from the mapped index.
        let keys = base + Self.entriesStart
        @inline(__always) func keyAt(_ i: Int) -> UInt64 {
            UInt64(littleEndian: keys.loadUnaligned(fromByteOffset: i * Self.entryLength, as: UInt64.self))
        }
        let end = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if keyAt(mid) < key { lo = mid + 1 } else { hi = mid }
        }
        var last = lo
        while last < end && keyAt(last) == key { last += 1 }
        return lo..<last
    }

    /// The order lookups try packs in: most blocks first, then newest first.
    static func lookupOrder(_ a: Pack, _ b: Pack) -> Bool {
        a.count != b.count ? a.count > b.count : a.number > b.number
    }

    /// The file size of pack and index together.
    var byteCount: Int { data.count + index.count }
}
