#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD

/// Builds a store's in-memory state from its directory: the manifest, its packs, and a scan of
/// the live journal segments. A writer also recovers: it removes files no manifest names and
/// truncates the last segment after its last complete commit record.
struct StoreLoader {
    private struct RaceWithWriter: Error {}

    let directory: String
    let sys: SystemCalls
    let writable: Bool

    func load() throws -> State {
        // A reader may race the writer's compaction (a segment deleted between reading the
        // manifest and opening it): start over from the new manifest.
        var attempt = 0
        while true {
            do { return try loadOnce() } catch StoreError.io(_, _, ENOENT) where !writable && attempt < 50 {
                attempt += 1
            } catch is RaceWithWriter where attempt < 50 {
                attempt += 1
            }
        }
    }

    private func loadOnce() throws -> State {
        let manifestPath = StoreFiles.manifest(directory)
        let manifest = try Manifest.decode(try readWholeFile(manifestPath, sys: sys), path: manifestPath)
        if writable { try removeStrayFiles(manifest) }
        let packs = try manifest.packs.map { n throws(StoreError) in try Pack(directory: directory, number: n, sys: sys) }
            .sorted(by: Pack.lookupOrder)

        let journalDir = StoreFiles.journalDirectory(directory)
        var numbers = try sys.list(journalDir).compactMap { StoreFiles.number($0, suffix: ".log") }.sorted()
        if writable {
            for n in numbers where n < manifest.firstSegment { try sys.unlink(StoreFiles.segment(directory, n)) }
        }
        numbers.removeAll { $0 < manifest.firstSegment }
        for (i, n) in numbers.enumerated() where n != manifest.firstSegment + UInt64(i) {
            // A reader may list the journal after the writer compacted a segment the manifest
            // it read still names.
            if !writable { throw RaceWithWriter() }
            throw StoreError.corruptStore(path: journalDir, reason: "journal segment \(StoreFiles.hex16(n)) out of sequence")
        }
        if numbers.isEmpty && writable {
            try createSegment(manifest.firstSegment)
            numbers = [manifest.firstSegment]
        }

        var refs = manifest.refs
        var segments: [SegmentState] = []
        var sealed: [SealedSegment] = []
        var tail = StoreFiles.segmentHeaderLength
        for (i, n) in numbers.enumerated() {
            let isLast = i == numbers.count - 1
            let path = StoreFiles.segment(directory, n)
            let file = try OpenFile(path: path, flags: writable ? O_RDWR : O_RDONLY, sys: sys)
            let bytes = try file.read(count: try file.size(), at: 0)
            var index = JournalIndex()
            let end = try scan(bytes, segment: n, path: path, isLast: isLast, refs: &refs, index: &index)
            if isLast {
                // A segment created but killed before its header was written is empty: it still
                // needs the header, or the records written after it would be unreadable.
                if writable && (end != bytes.count || end < StoreFiles.segmentHeaderLength) {
                    try recover(file, bytes: bytes, end: end, segment: n)
                }
                tail = max(end, StoreFiles.segmentHeaderLength)
            } else {
                sealed.append(SealedSegment(number: n, refs: refs))
            }
            segments.append(SegmentState(file: file, number: n, index: index))
        }
        return State(manifest: manifest, segments: segments, packs: packs, refs: refs, pendingRefs: refs,
                     tail: tail, sealed: sealed)
    }

    /// Scans a segment's records; returns the end of its last complete commit. Blocks count only
    /// once a commit record follows them.
    func scan(_ bytes: [UInt8], segment: UInt64, path: String, isLast: Bool,
                      refs: inout RefState, index: inout JournalIndex) throws -> Int {
        let headerLength = StoreFiles.segmentHeaderLength
        guard bytes.count >= headerLength, Array(bytes[0..<headerLength]) == StoreFiles.segmentHeader(segment) else {
            // Only the newest segment can be torn (a crash while it was being created).
            if isLast { return 0 }
            throw StoreError.corruptStore(path: path, reason: "bad segment header")
        }
        return try bytes.withUnsafeBytes { buf in
            var offset = headerLength
            var end = headerLength
            var group: [JournalEntry] = []
            while offset < buf.count {
                guard let frame = try? Record.read(buf, at: offset) else { break }
                if frame.kind == Record.Kind.block.rawValue {
                    guard let cid = try? BlockRecord.cid(buf, body: frame.body) else { break }
                    group.append(JournalEntry(key: cid.indexKey, offset: offset, length: frame.length))
                } else if frame.kind == Record.Kind.commit.rawValue {
                    let commit: CommitRecord
                    do throws(ByteReader.Failure) { commit = try CommitRecord.decode(buf, body: frame.body) } catch {
                        throw StoreError.corruptStore(path: path, reason: "commit record at \(offset): \(error.reason)")
                    }
                    refs.apply(commit)
                    for e in group { index.insert(key: e.key, offset: e.offset, length: e.length) }
                    group.removeAll(keepingCapacity: true)
                    end = offset + frame.length
                } else {
                    break
                }
                offset += frame.length
            }
            if !isLast && end != buf.count {
                throw StoreError.corruptStore(path: path, reason: "invalid record at byte \(end) of a sealed segment")
            }
            return end
        }
    }

    /// Cuts the last segment after its last complete commit (rewriting a torn header) and syncs.
    private func recover(_ file: OpenFile, bytes: [UInt8], end: Int, segment: UInt64) throws {
        if end < StoreFiles.segmentHeaderLength {
            try file.truncate(0)
            try file.write(StoreFiles.segmentHeader(segment), at: 0)
        } else {
            try file.truncate(end)
        }
        try file.sync()
    }

    func createSegment(_ n: UInt64) throws {
        let file = try OpenFile(path: StoreFiles.segment(directory, n), flags: O_RDWR | O_CREAT | O_TRUNC, sys: sys)
        try file.write(StoreFiles.segmentHeader(n), at: 0)
        try file.sync()
        try sys.syncDirectory(StoreFiles.journalDirectory(directory))
    }

    /// Removes packs the manifest does not name and temporary files (left by a crash mid-compaction).
    private func removeStrayFiles(_ manifest: Manifest) throws {
        let live = Set(manifest.packs)
        let packDir = StoreFiles.packDirectory(directory)
        for name in try sys.list(packDir) {
            let n = StoreFiles.number(name, suffix: ".pack") ?? StoreFiles.number(name, suffix: ".idx")
            if n == nil || !live.contains(n!) { try sys.unlink(packDir + "/" + name) }
        }
        try sys.unlink(StoreFiles.manifest(directory) + ".tmp")
    }
}
