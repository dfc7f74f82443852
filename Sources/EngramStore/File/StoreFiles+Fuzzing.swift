import EngramIPLD

/// Entry points for the libFuzzer harnesses in `Fuzz/`: the store's file decoders run on bytes
/// a fuzzer chose. Not supported API (hence the SPI); each runs the loader's and the read path's
/// own code, not a copy of it.
@_spi(Fuzzing) public enum StoreFuzzing {
    /// Rewrites the CRC32C of each record framed in `bytes` from `offset` on, so fuzzed bodies get
    /// past the checksum to the body decoders. Stops at the first length that does not fit.
    public static func sealRecords(_ bytes: inout [UInt8], from offset: Int) {
        var at = offset
        while at >= 0, bytes.count - at >= Record.overhead {
            let length = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
            guard length <= Record.maxBody, bytes.count - at - Record.overhead >= length else { return }
            let end = at + 5 + length
            let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[at..<end])) }
            bytes.storeLE(crc, at: end)
            at = end + 4
        }
    }

    /// Runs the repair's salvage scan (`RecordSalvage`) over `records` as a journal segment's
    /// (commit records allowed) or a pack's; returns the bytes scanned, kept and dropped.
    public static func salvage(_ records: [UInt8], commitsAllowed: Bool) -> (scanned: Int, kept: Int, dropped: Int) {
        let bytes = StoreFiles.segmentHeader(1) + records
        let scan = bytes.withUnsafeBytes { RecordSalvage($0, from: StoreFiles.segmentHeaderLength, commitsAllowed: commitsAllowed) }
        return (records.count, scan.bytesKept, scan.bytesDropped)
    }

    /// Scans `records` as the loader scans journal segment 1 (its header is prepended), then reads
    /// every block the scan indexed as ``FileBlockStore/get(_:)`` would. Returns the end of the
    /// last complete commit and how many blocks decoded.
    public static func scanSegment(_ records: [UInt8], isLast: Bool) throws -> (end: Int, blocks: Int) {
        let bytes = StoreFiles.segmentHeader(1) + records
        var refs = RefState()
        var index = JournalIndex()
        let scan = try JournalScan(bytes: bytes, segment: 1, path: "<fuzz>", refs: &refs, index: &index)
        if !isLast, let damage = scan.damage(durable: bytes.count) { throw damage }
        let end = scan.committedEnd
        var blocks = 0
        bytes.withUnsafeBytes { buf in
            index.forEach { slot in
                let record = UnsafeRawBufferPointer(rebasing: buf[Int(slot.offset)..<Int(slot.offset) + Int(slot.length)])
                guard let frame = try? Record.read(record, at: 0), frame.kind == Record.Kind.block.rawValue else { return }
                if (try? BlockRecord.decode(record, body: frame.body)) != nil { blocks += 1 }
            }
        }
        return (end, blocks)
    }

    /// Decodes `bytes` as a `MANIFEST` file.
    public static func decodeManifest(_ bytes: [UInt8]) throws {
        _ = try Manifest.decode(bytes, path: "<fuzz>")
    }

    /// Writes pack `number` of `blocks` into `directory/packs` as compaction writes it (the fixed
    /// `.pack` the harness opens and the seed indexes).
    public static func writePack(_ blocks: [Block], number: UInt64, directory: String) throws {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for block in blocks {
            let start = buffer.count
            BlockRecord.append(block, level: nil, to: &buffer)
            ranges.append(start..<buffer.count)
        }
        let result = buffer.withUnsafeBytes { buf in
            var sources = zip(blocks, ranges).map { block, range in
                PackSource(key: block.cid.indexKey, cid: block.cid, record: UnsafeRawBufferPointer(rebasing: buf[range]))
            }
            return Result { () throws(StoreError) -> Int in
                try PackWriter.write(&sources, number: number, directory: directory, sys: .live)
            }
        }
        _ = try result.get()
    }

    /// Opens pack `number` in `directory` as the loader does, then looks up every entry's key and
    /// reads each record found as ``FileBlockStore/get(_:)`` would (at most `lookups` of them).
    /// Returns how many blocks decoded.
    public static func openPack(directory: String, number: UInt64, lookups: Int = 64) throws -> Int {
        let pack = try Pack(directory: directory, number: number, sys: .live)
        var blocks = 0
        for i in 0..<min(pack.count, lookups) {
            guard let key = attempt(pack.entry, i)?.key, let found = attempt(pack.entries(withKey:), key) else { continue }
            for j in found {
                // Optional whether `record` checks the entry itself or `entry` already did.
                let record: UnsafeRawBufferPointer? = attempt(pack.entry, j).flatMap { pack.record($0) }
                guard let record, let frame = try? Record.read(record, at: 0),
                      frame.kind == Record.Kind.block.rawValue, frame.length == record.count else { continue }
                if (try? BlockRecord.decode(record, body: frame.body)) != nil { blocks += 1 }
            }
        }
        return blocks
    }

    /// `body(argument)`, or nil when it throws. Taking the function as a value keeps this file
    /// compiling whether or not the pack accessors throw (they do once their checks land).
    private static func attempt<A, R, E: Error>(_ body: (A) throws(E) -> R, _ argument: A) -> R? {
        try? body(argument)
    }
}
