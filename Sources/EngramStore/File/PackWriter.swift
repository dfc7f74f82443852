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
        var entries: [UInt8] = []
        var fanout = [UInt32](repeating: 0, count: Pack.fanoutCount)
        var written = 0
        var previous: CID? = nil
        for s in sources {
            if let previous, previous == s.cid { continue }
            previous = s.cid
            entries.appendLE(s.key)
            entries.appendLE(UInt64(offset + buffer.count))
            entries.appendLE(UInt32(s.record.count))
            entries.appendLE(UInt32(0))
            fanout[Int(s.key >> 48)] += 1
            buffer.append(contentsOf: s.record)
            written += 1
            if buffer.count >= 1 << 20 {
                try pack.write(buffer, at: offset)
                offset += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try pack.write(buffer, at: offset)
        try pack.sync()

        var idx = StoreFiles.indexMagic
        idx.appendLE(StoreFiles.formatVersion)
        idx.appendLE(UInt32(0))
        idx.appendLE(UInt64(written))
        var running: UInt32 = 0
        for i in 0..<Pack.fanoutCount {
            running += fanout[i]
            idx.appendLE(running)
        }
        idx.append(contentsOf: entries)
        idx.appendLE(CRC32C.checksum(idx))
        let index = try OpenFile(path: indexPath + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC, sys: sys)
        try index.write(idx, at: 0)
        try index.sync()
        try sys.rename(packPath + ".tmp", packPath)
        try sys.rename(indexPath + ".tmp", indexPath)
        try sys.syncDirectory(StoreFiles.packDirectory(directory))
        return written
    }
}
