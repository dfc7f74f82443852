#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD

/// Builds a store's in-memory state from its directory: the manifest, its packs, and a scan of
/// the live journal segments. A writer also recovers: it removes files no manifest names and
/// cuts a torn tail off the last segment (SPEC.md 4.7).
///
/// Damage is told apart from a torn write by `DURABLE` (`DurableMark`) and by commit sequence
/// numbers: bytes before the mark had reached the disk and sealed segments were synced whole, so
/// an invalid record there, a file shorter than the mark, a missing segment or a gap in the
/// sequence is `StoreError.damaged(path:offset:reason:)`, never cut.
struct StoreLoader {
    /// A reader saw the writer's files change under it; `otherwise` is what the state means when
    /// it persists.
    private struct RaceWithWriter: Error {
        let otherwise: StoreError
    }

    let directory: String
    let sys: SystemCalls
    let writable: Bool
    /// The writer's `DURABLE`, where recovery records the cut it synced.
    var markFile: OpenFile? = nil
    /// How often a reader starts over when the files changed under it
    /// (``FileBlockStore/Options/readerRetries``; 0 when the caller holds the writer lock, so
    /// that they cannot).
    var retries = 50

    func load() throws -> State {
        // A reader may race the writer's compaction (a segment deleted between reading the
        // manifest and opening it): start over from the new manifest.
        var attempt = 0
        while true {
            do { return try loadOnce() } catch StoreError.io(_, _, ENOENT) where !writable && attempt < retries {
                attempt += 1
            } catch let race as RaceWithWriter {
                guard attempt < retries else { throw race.otherwise }
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
        // Read before listing the journal: the writer moves the mark only onto segments it has
        // already created.
        let mark = try DurableMark.read(directory, sys: sys).flatMap { $0.segment >= manifest.firstSegment ? $0 : nil }

        let journalDir = StoreFiles.journalDirectory(directory)
        var numbers = try sys.list(journalDir).compactMap { StoreFiles.number($0, suffix: ".log") }.sorted()
        if writable {
            for n in numbers where n < manifest.firstSegment { try sys.unlink(StoreFiles.segment(directory, n)) }
        }
        numbers.removeAll { $0 < manifest.firstSegment }
        for (i, n) in numbers.enumerated() where n != manifest.firstSegment + UInt64(i) {
            // A reader may list the journal after the writer compacted a segment the manifest
            // it read still names.
            let missing = manifest.firstSegment + UInt64(i)
            try refuse(.damaged(path: StoreFiles.segment(directory, missing), offset: 0,
                                reason: "journal segment \(StoreFiles.hex16(missing)) is missing (segment \(StoreFiles.hex16(n)) follows)"))
        }
        if let mark, mark.segment > (numbers.last ?? manifest.firstSegment - 1) {
            try refuse(.damaged(path: StoreFiles.segment(directory, mark.segment), offset: 0,
                                reason: "the journal segment is missing, but \(mark.offset) bytes of it were durable"))
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
            let scan: JournalScan
            do { scan = try JournalScan(bytes: bytes, segment: n, path: path, refs: &refs, index: &index) } catch {
                try refuse(error)
            }
            let durable = mark.flatMap { $0.segment == n ? $0.offset : nil } ?? 0
            if !isLast || scan.validEnd < durable || (scan.headerDamaged && bytes.count > StoreFiles.segmentHeaderLength) {
                // Sealed segments were synced whole, bytes before the mark were durable, and a
                // header is synced before anything follows it: none of these can be torn.
                if let damage = scan.damage(durable: isLast ? durable : bytes.count) {
                    if isLast { try refuse(damage) } else { throw damage }
                }
            }
            if isLast {
                if writable && (scan.committedEnd != bytes.count || scan.committedEnd < StoreFiles.segmentHeaderLength) {
                    try recover(file, end: scan.committedEnd, segment: n)
                }
                tail = max(scan.committedEnd, StoreFiles.segmentHeaderLength)
            } else {
                sealed.append(SealedSegment(number: n, refs: refs))
            }
            segments.append(SegmentState(file: file, number: n, index: index))
        }
        return State(manifest: manifest, segments: segments, packs: packs, refs: refs, pendingRefs: refs,
                     tail: tail, sealed: sealed)
    }

    /// Throws `error`, or lets a reader retry first: what it read may have been the writer's
    /// files mid-change.
    private func refuse(_ error: StoreError) throws -> Never {
        if !writable { throw RaceWithWriter(otherwise: error) }
        throw error
    }

    /// Cuts the last segment after its last complete commit (rewriting a torn header) and syncs;
    /// the cut length is then durable, so the mark moves there.
    private func recover(_ file: OpenFile, end: Int, segment: UInt64) throws {
        if end < StoreFiles.segmentHeaderLength {
            try file.truncate(0)
            try file.write(StoreFiles.segmentHeader(segment), at: 0)
        } else {
            try file.truncate(end)
        }
        try file.sync()
        try? markFile?.write(DurableMark(segment: segment, offset: max(end, StoreFiles.segmentHeaderLength)).encode(), at: 0)
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
