import EngramIPLD

/// The file half of a repair (SPEC.md 4.9), planned without changing anything: what is kept of
/// the packs and the live journal, which files are damaged or missing, and the refs the kept
/// commit records lead to.
///
/// Every live journal segment is scanned with `RecordSalvage`; so is every pack, which is
/// intact only when nothing is dropped, its records are in key order and its index is exactly
/// the one they call for. The verified block records of the journal and of damaged packs go
/// into one new pack; the kept commit records are renumbered to follow the manifest's sequence
/// and applied to its refs, as open would.
struct StoreSalvage {
    let directory: String
    let sys: SystemCalls
    private(set) var manifest: Manifest
    /// The new pack's records; they point into ``mapped``, which keeps the files mapped.
    private(set) var sources: [PackSource] = []
    private var mapped: [MappedFile] = []
    /// Damaged files (absolute paths): set aside before anything else changes.
    private(set) var damaged: [String] = []
    /// Journal segments that move into the new pack (damaged or not); removed at the end.
    private(set) var segments: [String] = []
    /// Packs that the new pack replaces.
    private(set) var replacedPacks: [UInt64] = []
    private(set) var missing: [String] = []
    private(set) var findings: [String] = []
    /// The first live segment after the repair: above every segment present or named by `DURABLE`.
    private(set) var nextSegment: UInt64
    private(set) var recordsKept = 0
    private(set) var recordsDropped = 0
    private(set) var bytesDropped = 0

    /// Whether every file is intact (then only refs can need repair).
    var filesIntact: Bool { damaged.isEmpty && missing.isEmpty && replacedPacks.isEmpty }

    init(directory: String, sys: SystemCalls) throws {
        self.directory = directory
        self.sys = sys
        manifest = try Manifest.decode(try readWholeFile(StoreFiles.manifest(directory), sys: sys), path: StoreFiles.manifest(directory))
        nextSegment = manifest.firstSegment
        for n in manifest.packs { try salvagePack(n) }
        try salvageJournal()
    }

    private func relative(_ path: String) -> String {
        path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
    }

    private mutating func note(_ scan: RecordSalvage, path: String) {
        if let damage = scan.firstDamage { findings.append("\(relative(path)) at byte \(damage.offset): \(damage.reason)") }
        recordsKept += scan.recordsKept
        recordsDropped += scan.recordsDropped
        bytesDropped += scan.bytesDropped
    }

    private mutating func salvagePack(_ n: UInt64) throws {
        let packPath = StoreFiles.pack(directory, n), indexPath = StoreFiles.index(directory, n)
        let index = sys.exists(indexPath) ? try MappedFile(path: indexPath, sys: sys) : nil
        guard sys.exists(packPath) else {
            missing.append(relative(packPath))
            if index != nil { damaged.append(indexPath) }
            replacedPacks.append(n)
            return
        }
        let pack = try MappedFile(path: packPath, sys: sys)
        var headerIntact = true
        do { try PackValidation.checkPackHeader(pack.bytes, path: packPath) } catch {
            // A newer format is not damage, and not this version's to rewrite.
            if case .unsupportedFormat = error { throw error }
            headerIntact = false
        }
        let scan = RecordSalvage(pack.bytes, from: StoreFiles.packHeaderLength, commitsAllowed: false)
        let ordered = zip(scan.blocks, scan.blocks.dropFirst()).allSatisfy { a, b in
            a.cid.indexKey != b.cid.indexKey ? a.cid.indexKey < b.cid.indexKey : a.cid < b.cid
        }
        let entries = scan.blocks.map { PackWriter.IndexEntry(key: $0.cid.indexKey, offset: $0.record.lowerBound, length: $0.record.count) }
        if headerIntact && scan.isIntact && ordered, let index, index.bytes.elementsEqual(PackWriter.indexBytes(entries)) { return }

        if !headerIntact { findings.append("\(relative(packPath)): the pack header is damaged") }
        if index == nil { missing.append(relative(indexPath)) } else { damaged.append(indexPath) }
        if scan.isIntact && headerIntact { findings.append("\(relative(indexPath)): the index does not match its pack") }
        note(scan, path: packPath)
        damaged.append(packPath)
        replacedPacks.append(n)
        keep(scan, of: pack)
    }

    private mutating func keep(_ scan: RecordSalvage, of file: MappedFile) {
        mapped.append(file)
        for b in scan.blocks {
            sources.append(PackSource(key: b.cid.indexKey, cid: b.cid, record: UnsafeRawBufferPointer(rebasing: file.bytes[b.record])))
        }
    }

    private mutating func salvageJournal() throws {
        let mark = try DurableMark.read(directory, sys: sys).flatMap { $0.segment >= manifest.firstSegment ? $0 : nil }
        let numbers = try sys.list(StoreFiles.journalDirectory(directory))
            .compactMap { StoreFiles.number($0, suffix: ".log") }.filter { $0 >= manifest.firstSegment }.sorted()
        let last = max(numbers.last ?? manifest.firstSegment, mark?.segment ?? manifest.firstSegment)
        guard last < UInt64.max else {
            throw StoreError.corruptStore(path: StoreFiles.journalDirectory(directory), reason: "journal segment numbers are exhausted")
        }
        for gap in Self.gaps(in: numbers, from: manifest.firstSegment, through: mark?.segment) { noteMissing(gap) }
        guard !numbers.isEmpty || !missing.isEmpty else { return }
        nextSegment = last + 1
        var refs = manifest.refs
        var stored = refs.sequence  // the sequence the last commit record carried
        var previous = manifest.firstSegment &- 1
        for n in numbers {
            let path = StoreFiles.segment(directory, n)
            let file = try MappedFile(path: path, sys: sys)
            segments.append(path)
            let header = StoreFiles.segmentHeader(n)
            var intact = file.bytes.starts(with: header) && file.count >= header.count
            let scan = RecordSalvage(file.bytes, from: header.count, commitsAllowed: true)
            if !intact {
                findings.append("\(relative(path)): the segment header is damaged")
                recordsDropped += 1
                bytesDropped += min(file.count, header.count)
            }
            note(scan, path: path)
            if let mark, mark.segment == n, file.count < mark.offset {
                findings.append("\(relative(path)) ends at byte \(file.count), but \(mark.offset) bytes of it were durable")
                intact = false
            }
            // After a missing segment the gap is already reported; elsewhere a jump in the
            // sequence means commit records were lost from this file.
            var expected: UInt64? = n == previous &+ 1 ? stored &+ 1 : nil
            for var commit in scan.commits {
                if let e = expected, commit.sequence != e {
                    findings.append("\(relative(path)): commit sequence \(commit.sequence) follows \(e &- 1)")
                    intact = false
                }
                stored = commit.sequence
                expected = stored &+ 1
                commit.sequence = refs.sequence &+ 1
                refs.apply(commit)
            }
            if !intact || !scan.isIntact { damaged.append(path) }
            keep(scan, of: file)
            previous = n
        }
        manifest.refs = refs
    }

    /// The runs of segment numbers absent from `numbers` (sorted, each at least `first`) between
    /// `first` and the highest present or `through` (the segment `DURABLE` names).
    static func gaps(in numbers: [UInt64], from first: UInt64, through marked: UInt64?) -> [ClosedRange<UInt64>] {
        var gaps: [ClosedRange<UInt64>] = []
        var expected: UInt64? = first  // nil once past UInt64.max
        for n in numbers {
            if let e = expected, n > e { gaps.append(e...(n - 1)) }
            expected = n == .max ? nil : n + 1
        }
        if let marked, let e = expected, marked >= e { gaps.append(e...marked) }
        return gaps
    }

    /// Reports missing segments: each of a short run, or a long run as one entry.
    private mutating func noteMissing(_ gap: ClosedRange<UInt64>) {
        let first = relative(StoreFiles.segment(directory, gap.lowerBound))
        if gap.upperBound - gap.lowerBound >= 64 {
            let last = relative(StoreFiles.segment(directory, gap.upperBound))
            missing.append("\(first) through \(last)")
            findings.append("journal segments \(StoreFiles.hex16(gap.lowerBound)) through \(StoreFiles.hex16(gap.upperBound)) are missing")
            return
        }
        for n in gap {
            missing.append(relative(StoreFiles.segment(directory, n)))
            findings.append("journal segment \(StoreFiles.hex16(n)) is missing")
        }
    }

    /// Carries the plan out: damaged files set aside first (`DamagedFiles`), then the new pack,
    /// the next journal segment and the manifest naming them, the durable mark, and last the
    /// files the manifest no longer names. A crash at any point leaves a store that opens (or,
    /// before the manifest, the same damaged store) with every original kept.
    mutating func install() throws -> [String] {
        let setAside = try DamagedFiles.setAside(damaged, in: directory, sys: sys)
        var next = manifest
        next.generation &+= 1
        let replaced = Set(replacedPacks)
        next.packs.removeAll { replaced.contains($0) }
        if !sources.isEmpty {
            guard next.nextPack < UInt64.max else {
                throw StoreError.corruptStore(path: StoreFiles.manifest(directory), reason: "pack numbers are exhausted")
            }
            _ = try PackWriter.write(&sources, number: next.nextPack, directory: directory, sys: sys)
            next.packs.append(next.nextPack)
            next.nextPack &+= 1
        }
        next.firstSegment = nextSegment
        try StoreLoader(directory: directory, sys: sys, writable: true).createSegment(nextSegment)
        try writeFileAtomically(next.encode(), to: StoreFiles.manifest(directory), directory: directory, sys: sys)
        // The new segment's header was synced: the mark may name it.
        try writeFileAtomically(DurableMark(segment: nextSegment, offset: StoreFiles.segmentHeaderLength).encode(),
                                to: StoreFiles.durable(directory), directory: directory, sys: sys)
        for path in segments { try sys.unlink(path) }
        for n in replacedPacks {
            try sys.unlink(StoreFiles.pack(directory, n))
            try sys.unlink(StoreFiles.index(directory, n))
        }
        mapped.removeAll()
        sources.removeAll()
        return setAside
    }
}
