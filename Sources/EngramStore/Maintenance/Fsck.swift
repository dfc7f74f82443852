import EngramIPLD

/// What `fsck` found: every block's hash, every ref's closure, pack index consistency.
public struct FsckReport: Sendable, Hashable, Codable {
    public struct Problem: Sendable, Hashable, Codable {
        /// `corrupt-block`, `missing-block`, `pack-index`, `journal`, `ref`.
        public var kind: String
        /// The block, file or ref concerned.
        public var subject: String
        public var detail: String
    }

    public var blocksChecked = 0
    public var refsChecked = 0
    public var packsChecked = 0
    public var problems: [Problem] = []

    public var isClean: Bool { problems.isEmpty }
}

extension FileBlockStore {
    /// Checks the whole store; never modifies it. `progress`, if given, gets the number of
    /// records and blocks checked so far now and then (for a progress display).
    public func fsck(progress: ((Int) -> Void)? = nil) throws -> FsckReport {
        var report = FsckReport()
        let (segments, packs, refs) = try state.withLock { s in
            if s.closed { throw StoreError.closed }
            return (s.segments, s.packs, s.refs)
        }
        for pack in packs {
            report.packsChecked += 1
            checkIndex(pack, into: &report)
        }
        for seg in segments {
            seg.index.forEach { slot in
                do {
                    let bytes = try seg.file.read(count: slot.length, at: slot.offset)
                    try bytes.withUnsafeBytes { buf in try checkRecord(buf, key: slot.key, place: "\(seg.file.path) at byte \(slot.offset)", into: &report) }
                    if let progress, report.blocksChecked % 4096 == 0 { progress(report.blocksChecked) }
                } catch {
                    report.problems.append(.init(kind: "journal", subject: seg.file.path, detail: "\(error)"))
                }
            }
        }
        for pack in packs {
            for i in 0..<pack.count {
                guard let e = try? pack.entry(i) else { continue }  // reported by checkIndex
                let buf = pack.record(e)
                if let progress, report.blocksChecked % 4096 == 0 { progress(report.blocksChecked) }
                do { try checkRecord(buf, key: e.key, place: "\(pack.data.path) at byte \(e.offset)", into: &report) } catch {
                    report.problems.append(.init(kind: "pack-index", subject: pack.data.path, detail: "\(error)"))
                }
            }
        }
        var verified = Set<CID>()
        for (name, value) in refs.refs.sorted(by: { $0.key < $1.key }) {
            report.refsChecked += 1
            // A symbolic ref may name a branch with no commit yet (as git's unborn HEAD).
            guard case .cid(let root) = value else { continue }
            do {
                let before = report.blocksChecked + verified.count
                let reached = try BlockLinks.closure(of: [root], in: self, stop: verified, missing: { missing, parent in
                    report.problems.append(.init(kind: "missing-block", subject: missing.description,
                                                 detail: "reachable from \(name) via \(parent.map { "\($0)" } ?? "the ref itself")"))
                }, progress: progress.map { p in { p(before + $0) } })
                verified.formUnion(reached)
            } catch {
                report.problems.append(.init(kind: "ref", subject: name, detail: "closure walk failed: \(error)"))
            }
        }
        return report
    }

    private func checkIndex(_ pack: Pack, into report: inout FsckReport) {
        let idx = pack.index.bytes
        let stored = idx.loadUnaligned(fromByteOffset: idx.count - 4, as: UInt32.self)
        if CRC32C.checksum(UnsafeRawBufferPointer(rebasing: idx[0..<idx.count - 4])) != UInt32(littleEndian: stored) {
            report.problems.append(.init(kind: "pack-index", subject: pack.index.path, detail: "index checksum mismatch"))
        }
        var previous: UInt64 = 0
        var counts = [Int](repeating: 0, count: Pack.fanoutCount)
        for i in 0..<pack.count {
            let e: Pack.Entry
            do { e = try pack.entry(i) } catch {
                report.problems.append(.init(kind: "pack-index", subject: pack.index.path, detail: "\(error)"))
                continue
            }
            if e.key < previous {
                report.problems.append(.init(kind: "pack-index", subject: pack.index.path, detail: "entry \(i) at byte \(Pack.entryPosition(i)) out of order"))
            }
            previous = e.key
            counts[Int(e.key >> 48)] += 1
        }
        var running = 0
        for b in 0..<Pack.fanoutCount {
            running += counts[b]
            if pack.fanout(b) != running {
                report.problems.append(.init(kind: "pack-index", subject: pack.index.path, detail: "fanout \(b) is \(pack.fanout(b)), expected \(running)"))
                break
            }
        }
    }

    /// One block record: framing, CRC, key and hash.
    private func checkRecord(_ buf: UnsafeRawBufferPointer, key: UInt64, place: String, into report: inout FsckReport) throws {
        report.blocksChecked += 1
        let frame: Record.Frame
        do { frame = try Record.read(buf, at: 0) } catch {
            report.problems.append(.init(kind: "corrupt-block", subject: place, detail: "\(error)"))
            return
        }
        let (cid, bytes) = try BlockRecord.decode(buf, body: frame.body)
        if cid.indexKey != key && !(key == 1 && cid.indexKey == 0) {
            report.problems.append(.init(kind: "pack-index", subject: cid.description, detail: "index key does not match the CID (\(place))"))
        }
        if let function = HashFunction(code: cid.multihash.code) {
            if function.digest(bytes) != cid.multihash.digest {
                report.problems.append(.init(kind: "corrupt-block", subject: cid.description, detail: "bytes do not hash to the CID (\(place))"))
            }
        }
    }
}
