/// The checks a pack and its index pass before any number read from them is used (SPEC.md 4.5).
/// Each failure is `corruptStore` (or `unsupportedFormat` for a newer version) naming the file
/// and the byte offset of the bad field.
enum PackValidation {
    /// Checks an index's header, its size against its entry count and its last fanout slot (the
    /// count); returns the count. Constant work, so open stays independent of the number of
    /// blocks: each lookup checks the two fanout slots it reads (`Pack.entries(withKey:)`) and
    /// `fsck` the whole fanout.
    static func checkIndex(_ idx: UnsafeRawBufferPointer, path: String) throws(StoreError) -> Int {
        guard idx.count >= Pack.entriesStart + 4, idx.starts(with: StoreFiles.indexMagic) else {
            throw .corruptStore(path: path, reason: "not a pack index (\(idx.count) bytes, magic \"ENGRAMIX\" expected at byte 0)")
        }
        try checkVersion(idx, path: path, what: "pack index")
        let stored = UInt64(littleEndian: idx.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard let count = Int(exactly: stored), let size = indexSize(count: count), size == idx.count else {
            throw .corruptStore(path: path, reason: "entry count \(stored) at byte 16 does not match the file size \(idx.count)")
        }
        let at = Pack.indexHeaderLength + (Pack.fanoutCount - 1) * 4
        let last = UInt32(littleEndian: idx.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        guard Int(last) == count else {
            throw .corruptStore(path: path, reason: "last fanout slot at byte \(at) is \(last), not the entry count \(count)")
        }
        return count
    }

    /// Checks a pack's 16-byte header: magic, version and reserved bytes.
    static func checkPackHeader(_ pack: UnsafeRawBufferPointer, path: String) throws(StoreError) {
        guard pack.count >= StoreFiles.packHeaderLength, pack.starts(with: StoreFiles.packMagic) else {
            throw .corruptStore(path: path, reason: "not a pack (\(pack.count) bytes, magic \"ENGRAMPK\" expected at byte 0)")
        }
        try checkVersion(pack, path: path, what: "pack")
    }

    /// The `version u32 | reserved u32` at byte 8 of packs and indexes: version 1, reserved 0.
    static func checkVersion(_ bytes: UnsafeRawBufferPointer, path: String, what: String) throws(StoreError) {
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard version <= StoreFiles.formatVersion else {
            throw .unsupportedFormat(path: path, found: "\(what) version \(version) at byte 8 (this Engram reads up to \(StoreFiles.formatVersion))")
        }
        guard version == StoreFiles.formatVersion else {
            throw .corruptStore(path: path, reason: "\(what) version \(version) at byte 8 (versions start at 1)")
        }
        let reserved = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard reserved == 0 else {
            throw .corruptStore(path: path, reason: "reserved field at byte 12 is \(reserved), not 0")
        }
    }

    /// The size of an index of `count` entries, or nil when it overflows.
    static func indexSize(count: Int) -> Int? {
        let (entries, o1) = count.multipliedReportingOverflow(by: Pack.entryLength)
        let (size, o2) = entries.addingReportingOverflow(Pack.entriesStart + 4)
        return o1 || o2 ? nil : size
    }

    /// The byte range of a record at `offset` of `length` bytes when it lies after the pack's
    /// header and inside its `packSize` bytes and can hold a record's framing; nil otherwise.
    static func recordRange(offset: UInt64, length: UInt32, packSize: Int) -> Range<Int>? {
        guard let start = Int(exactly: offset), start >= StoreFiles.packHeaderLength, Int(length) >= Record.overhead else { return nil }
        let (end, overflow) = start.addingReportingOverflow(Int(length))
        guard !overflow, end <= packSize else { return nil }
        return start..<end
    }
}
