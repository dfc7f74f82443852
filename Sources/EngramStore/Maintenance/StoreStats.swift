/// Size facts about a ``FileBlockStore``.
public struct StoreStats: Sendable, Hashable, Codable {
    /// Block records in packs and the journal (a block written twice before compaction counts twice).
    public var blockRecords = 0
    /// Pack files.
    public var packs = 0
    /// Bytes of pack data files.
    public var packBytes = 0
    /// Journal segments, sealed and live.
    public var journalSegments = 0
    /// Bytes of journal segments.
    public var journalBytes = 0
    /// Bytes of in-memory index (journal tables) plus mapped pack indexes.
    public var indexBytes = 0
    /// Refs, `HEAD` included.
    public var refs = 0
    /// Reflog entries kept.
    public var reflogEntries = 0
    /// The hash function of new blocks (`sha2-256`, `blake2b-256`).
    public var hashFunction = ""
}

extension FileBlockStore {
    /// Counts and sizes, without reading any block.
    public func stats() throws -> StoreStats {
        let (segments, packs, refs, tail) = try state.withLock { s in
            if s.closed { throw StoreError.closed }
            return (s.segments, s.packs, s.refs, s.tail)
        }
        var out = StoreStats()
        out.hashFunction = hashFunction.rawValue
        out.packs = packs.count
        for p in packs {
            out.blockRecords += p.count
            out.packBytes += p.data.count
            out.indexBytes += p.index.count
        }
        out.journalSegments = segments.count
        for (i, seg) in segments.enumerated() {
            out.blockRecords += seg.index.count
            out.indexBytes += seg.index.memoryBytes
            out.journalBytes += i == segments.count - 1 && !options.readOnly ? tail : ((try? seg.file.size()) ?? 0)
        }
        out.refs = refs.refs.count
        out.reflogEntries = refs.reflog.count
        return out
    }
}
