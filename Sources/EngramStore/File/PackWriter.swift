#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD

/// A block record to put in a new pack: its key, CID and framed bytes (borrowed from a mapped
/// pack or a segment buffer that the caller keeps alive).
struct PackSource {
    var key: UInt64
    var cid: CID
    var record: UnsafeRawBufferPointer
}

/// Writes packs: records sorted by key (then CID), duplicates dropped, then the index; both
/// written to temporary names, fsynced, renamed into place, and the directory fsynced.
enum PackWriter {
    /// Writes pack `number` from `sources` (sorted here); returns the number of blocks written.
    static func write(_ sources: inout [PackSource], number: UInt64, directory: String, sys: SystemCalls) throws(StoreError) -> Int {
        sources.sort { $0.key != $1.key ? $0.key < $1.key : $0.cid < $1.cid }
        let packPath = StoreFiles.pack(directory, number)
        let indexPath = StoreFiles.index(directory, number)
        let pack = try OpenFile(path: packPath + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC, sys: sys)
        var buffer = StoreFiles.packHeader()
        var offset = 0
        var entries: [IndexEntry] = []
        var previous: CID? = nil
        for s in sources {
            if let previous, previous == s.cid { continue }
            previous = s.cid
            entries.append(IndexEntry(key: s.key, offset: offset + buffer.count, length: s.record.count))
            buffer.append(contentsOf: s.record)
            if buffer.count >= 1 << 20 {
                try pack.write(buffer, at: offset)
                offset += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try pack.write(buffer, at: offset)
        try pack.sync()

        let idx = indexBytes(entries)
        let index = try OpenFile(path: indexPath + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC, sys: sys)
        try index.write(idx, at: 0)
        try index.sync()
        try sys.rename(packPath + ".tmp", packPath)
        try sys.rename(indexPath + ".tmp", indexPath)
        try sys.syncDirectory(StoreFiles.packDirectory(directory))
        return entries.count
    }

    /// One record of a pack as its index lists it.
    struct IndexEntry: Equatable {
        var key: UInt64
        var offset: Int
        var length: Int
    }

    /// The `.idx` file for `entries` (in pack order, sorted by key): header, fanout, entries, CRC.
    static func indexBytes(_ entries: [IndexEntry]) -> [UInt8] {
        var fanout = [UInt32](repeating: 0, count: Pack.fanoutCount)
        for e in entries { fanout[Int(e.key >> 48)] &+= 1 }
        var idx = StoreFiles.indexMagic
        idx.reserveCapacity(Pack.entriesStart + entries.count * Pack.entryLength + 4)
        idx.appendLE(StoreFiles.formatVersion)
        idx.appendLE(UInt32(0))
        idx.appendLE(UInt64(entries.count))
        var running: UInt32 = 0
        for slot in fanout {
            running &+= slot
            idx.appendLE(running)
        }
        for e in entries {
            idx.appendLE(e.key)
            idx.appendLE(UInt64(e.offset))
            idx.appendLE(UInt32(truncatingIfNeeded: e.length))
            idx.appendLE(UInt32(0))
        }
        idx.appendLE(CRC32C.checksum(idx))
        return idx
    }
}
