import EngramIPLD

extension FileBlockStore {
    func scheduleCompaction() {
        guard options.autoCompact else { return }
        let start = state.withLock { s in
            if s.compactionScheduled { return false }
            s.compactionScheduled = true
            return true
        }
        guard start else { return }
        BackgroundThread.run { [self] in
            defer { state.withLock { $0.compactionScheduled = false } }
            // A failed compaction leaves the segments in the journal; the next one retries.
            try? compact()
        }
    }

    /// Compacts every sealed journal segment into a pack and merges packs beyond the limit.
    public func compact() throws {
        guard !options.readOnly else { throw StoreError.readOnly }
        try maintenanceLock.withLock { _ in
            try compactSealed()
            try mergePacksIfNeeded()
        }
    }

    /// Seals the active segment (if it holds anything) and compacts everything, so every block
    /// is in a pack. Caller holds the maintenance lock.
    func sealAndCompactAll() throws {
        try state.withLock { s in
            if s.closed { throw StoreError.closed }
            if s.tail > StoreFiles.segmentHeaderLength { try roll(&s) }
        }
        try compactSealed()
    }

    /// Turns sealed segments into packs, oldest first. Caller holds the maintenance lock.
    func compactSealed() throws {
        while let next = state.withLock({ $0.closed ? nil : $0.sealed.first }) {
            let segment = try state.withLock { s in
                guard let seg = s.segments.first(where: { $0.number == next.number }) else {
                    throw StoreError.corruptStore(path: directory, reason: "sealed segment \(next.number) is not live")
                }
                return seg
            }
            let bytes = try segment.file.read(count: try segment.file.size(), at: 0)
            let packNumber = state.withLock { $0.manifest.nextPack }
            try bytes.withUnsafeBytes { buf in
                let plan = try CompactionPlan(segment: buf, level: options.compressionLevel,
                                              deferredBelow: options.deferCompressionBelow, path: segment.file.path)
                try plan.recompressed.withUnsafeBytes { recoded in
                    var sources = plan.kept.map { PackSource(key: $0.cid.indexKey, cid: $0.cid, record: UnsafeRawBufferPointer(rebasing: buf[$0.record])) }
                    sources += plan.compressed.map { PackSource(key: $0.cid.indexKey, cid: $0.cid, record: UnsafeRawBufferPointer(rebasing: recoded[$0.record])) }
                    _ = try PackWriter.write(&sources, number: packNumber, directory: directory, sys: sys)
                }
            }
            var manifest = state.withLock { $0.manifest }
            manifest.generation += 1
            manifest.nextPack = packNumber + 1
            manifest.packs.append(packNumber)
            manifest.firstSegment = next.number + 1
            manifest.refs = next.refs
            try install(manifest, adding: [packNumber], removing: [], apply: { s in
                s.sealed.removeFirst()
                s.segments.removeAll { $0.number == next.number }
            })
            try sys.unlink(StoreFiles.segment(directory, next.number))
        }
    }

    /// Merges the smallest packs while there are more than `maxPacks`.
    func mergePacksIfNeeded() throws {
        let packs = state.withLock { $0.packs }
        guard packs.count > max(2, options.maxPacks) else { return }
        let victims = packs.sorted { $0.byteCount < $1.byteCount }.prefix(packs.count - max(2, options.maxPacks) / 2)
        try rewritePacks(Array(victims)) { _ in true }
    }

    /// Replaces `packs` with one pack holding the blocks of theirs that `keep` accepts.
    /// Caller holds the maintenance lock. Returns the blocks and bytes dropped.
    @discardableResult
    func rewritePacks(_ packs: [Pack], keep: (CID) -> Bool, check: (inout State) throws -> Void = { _ in },
                      manifestChange: (inout Manifest) -> Void = { _ in }, apply: (inout State) -> Void = { _ in }) throws -> (blocks: Int, bytes: Int) {
        var sources: [PackSource] = []
        var dropped = (blocks: 0, bytes: 0)
        for pack in packs {
            for i in 0..<pack.count {
                let e = try pack.entry(i)
                let record = pack.record(e)
                let frame = try Record.read(record, at: 0)
                let cid = try BlockRecord.cid(record, body: frame.body)
                if keep(cid) {
                    sources.append(PackSource(key: e.key, cid: cid, record: record))
                } else {
                    dropped.blocks += 1
                    dropped.bytes += e.length
                }
            }
        }
        let number = state.withLock { $0.manifest.nextPack }
        var adding: [UInt64] = []
        if !sources.isEmpty {
            _ = try PackWriter.write(&sources, number: number, directory: directory, sys: sys)
            adding = [number]
        }
        let removing = Set(packs.map(\.number))
        var manifest = state.withLock { $0.manifest }
        manifest.generation += 1
        manifest.nextPack = number + 1
        manifest.packs.removeAll { removing.contains($0) }
        manifest.packs.append(contentsOf: adding)
        manifestChange(&manifest)
        try install(manifest, adding: adding, removing: removing, check: check, apply: apply)
        for n in removing {
            try sys.unlink(StoreFiles.pack(directory, n))
            try sys.unlink(StoreFiles.index(directory, n))
        }
        return dropped
    }

    /// Writes `manifest` durably and swaps the in-memory packs to match, under the state lock
    /// (so no reader sees a block in neither place). `check` runs first under the same lock and
    /// may veto by throwing; `apply` runs once the manifest is durable.
    func install(_ manifest: Manifest, adding: [UInt64], removing: Set<UInt64>,
                 check: (inout State) throws -> Void = { _ in }, apply: (inout State) -> Void = { _ in }) throws {
        let newPacks = try adding.map { n throws(StoreError) in try Pack(directory: directory, number: n, sys: sys) }
        try state.withLock { s in
            try check(&s)
            try writeFileAtomically(manifest.encode(), to: StoreFiles.manifest(directory), directory: directory, sys: sys)
            s.manifest = manifest
            s.packs.removeAll { removing.contains($0.number) }
            s.packs.append(contentsOf: newPacks)
            s.packs.sort(by: Pack.lookupOrder)
            apply(&s)
        }
    }

    /// Removes blocks (garbage collection only): every block is first compacted into packs,
    /// then the packs holding these are rewritten without them.
    public func delete(_ cids: [CID]) throws {
        guard !options.readOnly else { throw StoreError.readOnly }
        let doomed = Set(cids)
        try maintenanceLock.withLock { _ in
            try sealAndCompactAll()
            let packs = state.withLock { $0.packs }
            try rewritePacks(packs) { !doomed.contains($0) }
        }
    }
}

extension FileBlockStore {
    /// Moves every block into packs now (the journal keeps only an empty segment).
    public func compactAll() throws {
        guard !options.readOnly else { throw StoreError.readOnly }
        try maintenanceLock.withLock { _ in
            try sealAndCompactAll()
            try mergePacksIfNeeded()
        }
    }
}
