import EngramIPLD

/// An immutable pack: a `.pack` file of block records sorted by key and its `.idx` index, both
/// mapped read-only. Lookups are a fanout step plus a binary search: O(log n), no load at open.
///
/// `.idx` = `"ENGRAMIX" | version u32 | reserved u32 | count u64 | fanout 65536 × u32
/// (entries whose key's top 16 bits are <= i) | count × entry | crc32c u32` where an entry is
/// `key u64 | offset u64 | record length u32 | reserved u32` (24 bytes), sorted by key.
///
/// Both files come from disk, so nothing read from them sizes, indexes or offsets anything
/// before it is checked: the headers, count and last fanout slot at open (`PackValidation`),
/// the fanout slots a lookup reads (``entries(withKey:)``), each entry's record range when the
/// entry is read (``entry(_:)``).
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
        count = try PackValidation.checkIndex(index.bytes, path: index.path)
        try PackValidation.checkPackHeader(data.bytes, path: data.path)
    }

    /// An index entry whose record range has been checked to lie inside the pack.
    struct Entry { var key: UInt64; var offset: Int; var length: Int }

    /// Where entry `i` starts in the index file.
    @inline(__always)
    static func entryPosition(_ i: Int) -> Int { entriesStart + i * entryLength }

    /// Entry `i` (`0 ..< count`), its record range checked against the pack's size; an entry
    /// that points outside the pack is `corruptStore` naming the index and the entry's byte.
    @inline(__always)
    func entry(_ i: Int) throws(StoreError) -> Entry {
        let at = Self.entryPosition(i)
        let b = index.bytes
        let key = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        let offset = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
        let length = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self))
        let reserved = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at + 20, as: UInt32.self))
        guard let range = PackValidation.recordRange(offset: offset, length: length, packSize: data.count), reserved == 0 else {
            throw .corruptStore(path: index.path, reason: ErrorReason("entry \(i) at byte \(at): record offset \(offset), length \(length), "
                + "reserved \(reserved) do not fit the \(data.count)-byte pack"))
        }
        return Entry(key: key, offset: range.lowerBound, length: range.count)
    }

    /// Fanout slot `i`: the number of entries whose key's top 16 bits are at most `i`.
    @inline(__always)
    func fanout(_ i: Int) -> Int {
        Int(UInt32(littleEndian: index.bytes.loadUnaligned(fromByteOffset: Self.indexHeaderLength + i * 4, as: UInt32.self)))
    }

    /// The record bytes of a checked entry.
    func record(_ e: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: data.bytes[e.offset..<e.offset + e.length])
    }

    /// The entries whose key is `key`; a fanout that does not bound them (slots out of order or
    /// beyond the count) is `corruptStore` naming the slot's byte.
    func entries(withKey key: UInt64) throws(StoreError) -> Range<Int> {
        guard let base = index.base else { return 0..<0 }
        let bucket = Int(key >> 48)
        var lo = bucket == 0 ? 0 : fanout(bucket - 1)
        var hi = fanout(bucket)
        guard lo <= hi, hi <= count else {
            throw .corruptStore(path: index.path, reason: ErrorReason("fanout[\(bucket)] at byte \(Self.indexHeaderLength + bucket * 4) is \(hi) "
                + "after \(lo) in the slot before: not ordered within the \(count) entries"))
        }
        guard lo < hi else { return 0..<0 }
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
