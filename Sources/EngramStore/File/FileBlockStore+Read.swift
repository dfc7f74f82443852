import EngramIPLD

extension FileBlockStore {
    /// Where a block's record was found.
    enum Location {
        case journal(OpenFile, offset: Int, length: Int)
        case pack(Pack, Pack.Entry)
    }

    /// Journal candidates of `key` (newest segment first). Caller holds the state lock.
    private static func journalCandidates(_ s: State, _ key: UInt64) -> [(OpenFile, Int, Int)] {
        var journal: [(OpenFile, Int, Int)] = []
        for seg in s.segments.reversed() {
            for c in seg.index.candidates(key) { journal.append((seg.file, c.offset, c.length)) }
        }
        return journal
    }

    /// Finds the record of `cid` and hands its bytes to `body`. A record whose key matches but
    /// whose checksum fails is reported as corrupt, never skipped or returned.
    func withRecord<R>(_ cid: CID, _ body: (UnsafeRawBufferPointer, Record.Frame) throws -> R) throws -> R? {
        let key = cid.indexKey
        // Candidates are taken under the lock; the records are read after it is released.
        let (journal, packs) = try state.withLock { s in
            if s.closed { throw StoreError.closed }
            return (Self.journalCandidates(s, key), s.packs)
        }
        return try search(cid, key: key, journal: journal, packs: packs, body)
    }

    private func search<R>(_ cid: CID, key: UInt64, journal: [(OpenFile, Int, Int)], packs: [Pack],
                           _ body: (UnsafeRawBufferPointer, Record.Frame) throws -> R) throws -> R? {
        for (file, offset, length) in journal {
            let bytes = try file.read(count: length, at: offset)
            let hit = try bytes.withUnsafeBytes { buf in
                try Self.match(cid, buf, where: "\(file.path) at byte \(offset)").map { try body(buf, $0) }
            }
            if let hit { return hit }
        }
        for pack in packs {
            for i in try pack.entries(withKey: key) {
                let e = try pack.entry(i)
                let buf = pack.record(e)
                if let frame = try Self.match(cid, buf, where: "\(pack.data.path) at byte \(e.offset)") {
                    return try body(buf, frame)
                }
            }
        }
        return nil
    }

    /// Whether each CID is stored, taking the lock once for the whole batch.
    func contains(_ cids: [CID]) throws -> [Bool] {
        let keys = cids.map(\.indexKey)
        let (journal, packs) = try state.withLock { s in
            if s.closed { throw StoreError.closed }
            var journal: [Int: [(OpenFile, Int, Int)]] = [:]
            if s.segments.contains(where: { $0.index.count > 0 }) {
                for (i, key) in keys.enumerated() {
                    let c = Self.journalCandidates(s, key)
                    if !c.isEmpty { journal[i] = c }
                }
            }
            return (journal, s.packs)
        }
        return try cids.indices.map { i in
            try search(cids[i], key: keys[i], journal: journal[i] ?? [], packs: packs) { _, _ in true } ?? false
        }
    }

    /// The frame of `buf` when it is the intact block record of `cid`; nil for another CID.
    static func match(_ cid: CID, _ buf: UnsafeRawBufferPointer, where place: @autoclosure () -> String) throws -> Record.Frame? {
        let frame: Record.Frame
        do { frame = try Record.read(buf, at: 0) } catch {
            throw StoreError.corruptBlock(cid, reason: .cause(error, "record \(place())"))
        }
        guard frame.kind == Record.Kind.block.rawValue, frame.length == buf.count,
              let found = try? BlockRecord.cid(buf, body: frame.body) else {
            throw StoreError.corruptBlock(cid, reason: "record \(place()) is not a block record")
        }
        return found == cid ? frame : nil
    }

    public func has(_ cid: CID) throws -> Bool {
        try withRecord(cid) { _, _ in true } ?? false
    }

    /// The block's bytes, checked against the record's CRC32C; nil when not stored.
    public func get(_ cid: CID) throws -> [UInt8]? {
        try withRecord(cid) { buf, frame in
            do throws(ByteReader.Failure) { return try BlockRecord.decode(buf, body: frame.body).1 } catch {
                throw StoreError.corruptBlock(cid, reason: "\(error.reason) at record byte \(error.offset)")
            }
        }
    }

    /// The block's bytes after re-hashing them (what `fsck` does for every block).
    public func getVerified(_ cid: CID) throws -> [UInt8]? {
        guard let bytes = try get(cid) else { return nil }
        let ok: Bool
        do { ok = try cid.verify(bytes) } catch { throw StoreError.unsupportedHash(cid) }
        guard ok else { throw StoreError.corruptBlock(cid, reason: "bytes do not hash to the CID") }
        return bytes
    }

    /// Size facts about one stored block.
    public struct BlockStat: Sendable, Hashable {
        /// The block.
        public var cid: CID
        /// Canonical (uncompressed) size.
        public var size: Int
        /// Bytes the record takes on disk, framing included.
        public var storedSize: Int
        /// Whether the record holds the block zstd-compressed.
        public var compressed: Bool
        /// `journal` or `pack`.
        public var location: String
    }

    /// Facts about a stored block, or nil when it is not stored.
    public func stat(_ cid: CID) throws -> BlockStat? {
        try withRecord(cid) { buf, frame in
            let (_, encoding, size, _) = try BlockRecord.header(buf, body: frame.body)
            let inPack = buf.baseAddress.map { p in
                state.withLock { $0.packs.contains { pk in pk.data.bytes.baseAddress.map { p >= $0 && p < $0 + pk.data.count } ?? false } }
            } ?? false
            return BlockStat(cid: cid, size: size, storedSize: frame.length, compressed: encoding == BlockRecord.zstd,
                             location: inPack ? "pack" : "journal")
        }
    }

    public func forEachCID(_ body: (CID) throws -> Void) throws {
        var seen = Set<CID>()
        try forEachRecord { cid, _ in if seen.insert(cid).inserted { try body(cid) } }
    }

    /// Calls `body` with the CID and record bytes of every committed block record (journal
    /// first, then packs in lookup order; a CID may appear more than once).
    func forEachRecord(_ body: (CID, UnsafeRawBufferPointer) throws -> Void) throws {
        let (segments, packs) = try state.withLock { s in
            if s.closed { throw StoreError.closed }
            return (s.segments, s.packs)
        }
        for seg in segments {
            var failure: Error? = nil
            seg.index.forEach { slot in
                guard failure == nil else { return }
                do {
                    let bytes = try seg.file.read(count: slot.length, at: slot.offset)
                    try bytes.withUnsafeBytes { buf in
                        let frame = try Record.read(buf, at: 0)
                        try body(try BlockRecord.cid(buf, body: frame.body), buf)
                    }
                } catch { failure = error }
            }
            if let failure { throw failure }
        }
        for pack in packs {
            for i in 0..<pack.count {
                let buf = pack.record(try pack.entry(i))
                let frame = try Record.read(buf, at: 0)
                try body(try BlockRecord.cid(buf, body: frame.body), buf)
            }
        }
    }
}
