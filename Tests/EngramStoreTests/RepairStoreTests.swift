import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// The store half of `fsck --repair` (SPEC.md 4.9) on blocks without a graph: resynchronising
/// after damage, refs with no intact value, missing segments and packs, and what it refuses.
@Suite struct RepairStoreTests {
    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A closed store over several 4 KiB segments in which branch `b<i>` holds block `i`.
    static func branchPerBlock(_ dir: TempDirectory, count: Int, seed: UInt64) throws -> [Block] {
        let blocks = rawBlocks(count, size: 1000, seed: seed)
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 4096))
        for (i, block) in blocks.enumerated() {
            try store.commit(blocks: [block], refUpdates: [RefUpdate(name: "refs/heads/b\(i)", expected: .absent, new: .cid(block.cid))])
        }
        try store.close()
        return blocks
    }

    /// Garbage between records is skipped as one dropped record; a CRC-valid record whose bytes
    /// do not hash to its CID is dropped whole; every valid record around them is kept.
    @Test func salvageResynchronisesAfterGarbageAndDropsBlocksThatDoNotHash() throws {
        let blocks = rawBlocks(3, size: 150, seed: 9)
        var buffer = StoreFiles.segmentHeader(1)
        BlockRecord.append(blocks[0], level: nil, to: &buffer)
        let garbageAt = buffer.count
        var random = TestRandom(77)
        buffer += random.bytes(37)
        let forgedAt = buffer.count
        // Block 2's CID over block 1's bytes: framed and CRC-valid, but a lie.
        blocks[1].bytes.withUnsafeBytes { BlockRecord.append(cid: blocks[2].cid, canonical: $0, level: nil, to: &buffer) }
        let forgedLength = buffer.count - forgedAt
        BlockRecord.append(blocks[1], level: nil, to: &buffer)
        let commit = CommitRecord(sequence: 7, time: 1, message: "caf\u{e9}\u{0}\u{1F600}",
                                  updates: [(name: "refs/heads/m", old: nil, new: .cid(blocks[1].cid))])
        try commit.append(to: &buffer)

        let scan = buffer.withUnsafeBytes { RecordSalvage($0, from: 16, commitsAllowed: true) }
        #expect(scan.blocks.map(\.cid) == [blocks[0].cid, blocks[1].cid])
        #expect(scan.commits == [commit])
        #expect(scan.recordsDropped == 2 && scan.bytesDropped == 37 + forgedLength)
        #expect(scan.firstDamage?.offset == garbageAt)
        // In a pack, a commit record is not a valid record.
        let packScan = buffer.withUnsafeBytes { RecordSalvage($0, from: 16, commitsAllowed: false) }
        #expect(packScan.commits.isEmpty && packScan.recordsDropped == 3)
        #expect(packScan.bytesDropped == buffer.count - (scan.blocks.map(\.record.count).reduce(16, +)))
    }

    /// A ref whose every value lost a block is deleted; one with an older intact value in its
    /// reflog moves there (without any parent function); the reflog says which and why.
    @Test func refsMoveBackThroughTheirReflogOrAreDeleted() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(3, size: 300, seed: 3)
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.commit(blocks: [blocks[0]], refUpdates: [.move("refs/heads/x", from: nil, to: blocks[0].cid)])
        try store.commit(blocks: [blocks[1]], refUpdates: [.move("refs/heads/y", from: nil, to: blocks[1].cid)])
        try store.commit(blocks: [blocks[2]], refUpdates: [.move("refs/heads/y", from: blocks[1].cid, to: blocks[2].cid)])
        try store.close()
        let segment = StoreFiles.segment(dir.store, 1)
        var bytes = try Self.bytes(segment)
        for b in [blocks[0], blocks[2]] {
            let at = try #require(bytes.firstRange(of: b.bytes.prefix(32))).lowerBound
            bytes[at + 10] ^= 0x80
        }
        try Self.write(bytes, segment)

        let report = try FileBlockStore.repair(at: dir.store)
        #expect(report.refsMoved == [
            RepairReport.RefMove(name: "refs/heads/x", from: blocks[0].cid, to: nil, missingBlocks: 1),
            RepairReport.RefMove(name: "refs/heads/y", from: blocks[2].cid, to: blocks[1].cid, missingBlocks: 1),
        ])
        #expect(report.commitsLost == [blocks[0].cid, blocks[2].cid] && report.blocksMissing == 2)
        #expect(report.recordsDropped == 2)
        let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try repaired.fsck().isClean)
        #expect(try repaired.refs.get("refs/heads/x") == nil)
        #expect(try repaired.refs.get("refs/heads/y") == .cid(blocks[1].cid))
        #expect(try repaired.get(blocks[1].cid) == blocks[1].bytes)
        #expect(repaired.refs.reflog("refs/heads/x").last?.message
                == "fsck --repair: deleted, was \(blocks[0].cid) (no commit with a complete closure: 1 blocks missing)")
        #expect(repaired.refs.reflog("refs/heads/y").last?.message
                == "fsck --repair: moved from \(blocks[2].cid) to \(blocks[1].cid) (closure incomplete: 1 blocks missing)")
        // The store takes commits again, numbered on from the repaired sequence.
        try repaired.commit(blocks: [blocks[0]], refUpdates: [.move("refs/heads/x", from: nil, to: blocks[0].cid)])
        try repaired.close()
        #expect(try FileBlockStore.open(at: dir.store, options: testOptions()).refs.get("refs/heads/x") == .cid(blocks[0].cid))
    }

    /// A missing sealed segment is reported as missing; the refs its commits set are not there,
    /// every other commit's are, and the store opens clean.
    @Test func aMissingSealedSegmentLosesOnlyItsOwnCommits() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = try Self.branchPerBlock(dir, count: 12, seed: 5)
        let removed = try Self.bytes(StoreFiles.segment(dir.store, 2))
        try FileManager.default.removeItem(atPath: StoreFiles.segment(dir.store, 2))

        let report = try FileBlockStore.repair(at: dir.store)
        #expect(report.missingFiles == ["journal/0000000000000002.log"] && report.setAside.isEmpty)
        #expect(report.recordsDropped == 0 && report.refsMoved.isEmpty)
        let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try repaired.fsck().isClean)
        var inRemoved = 0
        for (i, block) in blocks.enumerated() {
            let wasThere = removed.firstRange(of: block.cid.bytes) != nil
            if wasThere { inRemoved += 1 }
            #expect(try repaired.refs.get("refs/heads/b\(i)") == (wasThere ? nil : .cid(block.cid)), "b\(i)")
            #expect(try repaired.get(block.cid) == (wasThere ? nil : block.bytes), "b\(i)")
        }
        #expect(inRemoved > 0 && inRemoved < blocks.count)
        try repaired.close()
    }

    /// A missing `.pack` loses its blocks: its index is set aside and the refs that reached
    /// them are deleted.
    @Test func aMissingPackIsReportedAndItsIndexKeptAside() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(2, size: 500, seed: 11)
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.commit(blocks: [blocks[0]], refUpdates: [.move("refs/heads/packed", from: nil, to: blocks[0].cid)])
        try store.compactAll()
        try store.commit(blocks: [blocks[1]], refUpdates: [.move("refs/heads/live", from: nil, to: blocks[1].cid)])
        try store.close()
        let index = try #require(files(in: StoreFiles.packDirectory(dir.store), suffix: ".idx").first)
        let indexBytes = try Self.bytes(index)
        for pack in files(in: StoreFiles.packDirectory(dir.store), suffix: ".pack") { try FileManager.default.removeItem(atPath: pack) }

        let report = try FileBlockStore.repair(at: dir.store)
        let name = URL(fileURLWithPath: index).lastPathComponent
        #expect(report.missingFiles == ["packs/" + name.replacingOccurrences(of: ".idx", with: ".pack")])
        #expect(report.setAside == ["damaged/1/packs/" + name])
        #expect(try Self.bytes(dir.store + "/damaged/1/packs/" + name) == indexBytes)
        let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try repaired.fsck().isClean)
        #expect(try repaired.refs.get("refs/heads/packed") == nil)
        #expect(try repaired.refs.get("refs/heads/live") == .cid(blocks[1].cid))
        try repaired.close()
    }

    /// A damaged `MANIFEST` is not guessed at: the repair throws and changes nothing.
    @Test func aDamagedManifestIsRefusedUnchanged() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.put(rawBlocks(1)[0])
        try store.close()
        var manifest = try Self.bytes(StoreFiles.manifest(dir.store))
        manifest[manifest.count - 6] ^= 1
        try Self.write(manifest, StoreFiles.manifest(dir.store))
        let journal = try Self.bytes(StoreFiles.segment(dir.store, 1))
        #expect(throws: StoreError.self) { try FileBlockStore.repair(at: dir.store) }
        #expect(try Self.bytes(StoreFiles.manifest(dir.store)) == manifest)
        #expect(try Self.bytes(StoreFiles.segment(dir.store, 1)) == journal)
        #expect(!FileManager.default.fileExists(atPath: dir.store + "/damaged"))
    }

    /// Missing segment runs, including numbers at the top of the range (no overflow).
    @Test func gapsBetweenSegmentNumbers() {
        #expect(StoreSalvage.gaps(in: [1, 2, 5], from: 1, through: nil) == [3...4])
        #expect(StoreSalvage.gaps(in: [3], from: 1, through: 4) == [1...2, 4...4])
        #expect(StoreSalvage.gaps(in: [], from: 1, through: 3) == [1...3])
        #expect(StoreSalvage.gaps(in: [], from: 1, through: nil) == [])
        #expect(StoreSalvage.gaps(in: [.max], from: .max - 2, through: .max) == [(.max - 2)...(.max - 1)])
        #expect(StoreSalvage.gaps(in: [1], from: 1, through: .max) == [2...(.max)])
    }

    /// A sealed segment with a zeroed header: its records are all kept (the header is the one
    /// dropped record), the file is set aside and nothing is lost.
    @Test func aDamagedSegmentHeaderLosesNothingElse() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = try Self.branchPerBlock(dir, count: 6, seed: 21)
        let segment = StoreFiles.segment(dir.store, 1)
        var bytes = try Self.bytes(segment)
        for i in 0..<16 { bytes[i] = 0 }
        try Self.write(bytes, segment)
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir.store, options: testOptions()) }

        let report = try FileBlockStore.repair(at: dir.store)
        #expect(report.setAside == ["damaged/1/journal/0000000000000001.log"])
        #expect(report.recordsDropped == 1 && report.bytesDropped == 16 && report.refsMoved.isEmpty)
        let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try repaired.fsck().isClean)
        for (i, block) in blocks.enumerated() {
            #expect(try repaired.refs.get("refs/heads/b\(i)") == .cid(block.cid))
            #expect(try repaired.get(block.cid) == block.bytes)
        }
        try repaired.close()
    }

    /// A valid commit record out of sequence (here a copy of the first, appended) cannot come
    /// from a crash: the segment is set aside, every record is kept and applied in journal
    /// order, renumbered, and the store opens clean.
    @Test func aCommitOutOfSequenceIsSetAsideAndRenumbered() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(3, size: 200, seed: 31)
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.commit(blocks: [blocks[0]], refUpdates: [.move("refs/heads/a", from: nil, to: blocks[0].cid)], message: "\u{e9}\u{0}1")
        try store.commit(blocks: [blocks[1]], refUpdates: [.move("refs/heads/a", from: blocks[0].cid, to: blocks[1].cid)])
        try store.commit(blocks: [blocks[2]], refUpdates: [.move("refs/heads/b", from: nil, to: blocks[2].cid)])
        try store.close()
        let segment = StoreFiles.segment(dir.store, 1)
        var bytes = try Self.bytes(segment)
        let original = bytes
        var first: CommitRecord? = nil
        var copied: [UInt8] = []
        original.withUnsafeBytes { buf in
            var at = 16
            while first == nil, let frame = try? Record.read(buf, at: at) {
                if frame.kind == Record.Kind.commit.rawValue {
                    first = try? CommitRecord.decode(buf, body: frame.body)
                    copied = Array(original[at..<at + frame.length])
                }
                at += frame.length
            }
        }
        #expect(first?.sequence == 1)
        bytes += copied
        try Self.write(bytes, segment)
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir.store, options: testOptions()) }

        let report = try FileBlockStore.repair(at: dir.store)
        #expect(report.setAside == ["damaged/1/journal/0000000000000001.log"])
        #expect(report.findings.contains("journal/0000000000000001.log: commit sequence 1 follows 3"))
        #expect(report.recordsDropped == 0 && report.recordsKept == 7)
        let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try repaired.fsck().isClean)
        #expect(try repaired.refs.get("refs/heads/a") == .cid(blocks[0].cid), "the copy applied last")
        #expect(repaired.refs.reflog("refs/heads/a").last?.message == "\u{e9}\u{0}1")
        #expect(try repaired.refs.get("refs/heads/b") == .cid(blocks[2].cid))
        try repaired.close()
    }

    /// A repair that fails at any write, sync, rename, link or unlink leaves a store that a
    /// second repair brings to the same end: every original kept in `damaged/`, every other
    /// block and ref intact, `fsck` clean.
    @Test(arguments: [SystemCalls.Operation.write, .fsync, .rename, .link, .unlink, .mkdir])
    func aRepairThatFailsMidwayCanBeRunAgain(_ operation: SystemCalls.Operation) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = try Self.branchPerBlock(dir, count: 8, seed: 41)
        let segment = StoreFiles.segment(dir.store, 2)
        var bytes = try Self.bytes(segment)
        let lost = try #require(blocks.firstIndex { bytes.firstRange(of: $0.bytes.prefix(32)) != nil })
        bytes[try #require(bytes.firstRange(of: blocks[lost].bytes.prefix(32))).lowerBound + 5] ^= 0x40
        try Self.write(bytes, segment)
        let damagedStore = dir.path + "/damaged-store"
        try FileManager.default.copyItem(atPath: dir.store, toPath: damagedStore)

        // How many calls of this kind a clean repair makes.
        let counting = SystemCalls(plan: FaultPlan())
        _ = try FileBlockStore.repair(at: dir.store, options: RepairOptions(store: testOptions(sys: counting)))
        let calls = counting.counts[operation, default: 0]
        #expect(calls > 0)
        for nth in 1...calls {
            try FileManager.default.removeItem(atPath: dir.store)
            try FileManager.default.copyItem(atPath: damagedStore, toPath: dir.store)
            let faulty = SystemCalls(plan: FaultPlan([.init(operation: operation, nth: nth, fault: .error(EIO))]))
            do { _ = try FileBlockStore.repair(at: dir.store, options: RepairOptions(store: testOptions(sys: faulty))) } catch {
                #expect(error is StoreError, "\(operation) \(nth): \(error)")
            }
            _ = try FileBlockStore.repair(at: dir.store)
            let kept = try FileManager.default.subpathsOfDirectory(atPath: dir.store + "/damaged")
                .filter { $0.hasSuffix("journal/0000000000000002.log") }
            #expect(try kept.contains { try Self.bytes(dir.store + "/damaged/" + $0) == bytes }, "\(operation) \(nth)")
            let repaired = try FileBlockStore.open(at: dir.store, options: testOptions())
            #expect(try repaired.fsck().isClean, "\(operation) \(nth)")
            for (i, block) in blocks.enumerated() {
                #expect(try repaired.refs.get("refs/heads/b\(i)") == (i == lost ? nil : .cid(block.cid)), "\(operation) \(nth) b\(i)")
                #expect(try repaired.get(block.cid) == (i == lost ? nil : block.bytes), "\(operation) \(nth) b\(i)")
            }
            try repaired.close()
            #expect(try FileBlockStore.repair(at: dir.store) == RepairReport(), "\(operation) \(nth)")
        }
    }

    /// Random mixes of valid records, garbage and flipped bytes: every byte is accounted for
    /// once (kept or dropped), every record left untouched is kept, and every kept block hashes
    /// to its CID.
    @Test func salvageKeepsEveryUntouchedRecordOfRandomDamage() throws {
        var random = TestRandom(2024)
        for trial in 0..<150 {
            var buffer = StoreFiles.segmentHeader(1)
            var untouched: [(range: Range<Int>, cid: CID?)] = []
            for _ in 0..<random.int(1...12) {
                let start = buffer.count
                switch random.int(0...3) {
                case 0, 1:
                    let block = Block(bytes: random.bytes(random.int(0...400)), codec: .raw)
                    BlockRecord.append(block, level: random.int(0...1) == 0 ? nil : 3, to: &buffer)
                    untouched.append((start..<buffer.count, block.cid))
                case 2:
                    try CommitRecord(sequence: random.next(), time: Int64(truncatingIfNeeded: random.next()), message: "\u{0}\u{e9}\u{1F9E0}",
                                     updates: [(name: "refs/heads/r", old: nil, new: nil)]).append(to: &buffer)
                    untouched.append((start..<buffer.count, nil))
                default:
                    buffer += random.bytes(random.int(1...64))
                }
            }
            for _ in 0..<random.int(0...3) {
                let at = random.int(16...(buffer.count - 1))
                buffer[at] ^= UInt8(truncatingIfNeeded: random.int(1...255))
                untouched.removeAll { $0.range.contains(at) }
            }
            let scan = buffer.withUnsafeBytes { RecordSalvage($0, from: 16, commitsAllowed: true) }
            #expect(scan.bytesKept + scan.bytesDropped == buffer.count - 16, "trial \(trial)")
            let keptBlocks = Set(scan.blocks.map(\.record.lowerBound))
            for record in untouched {
                if record.cid != nil { #expect(keptBlocks.contains(record.range.lowerBound), "trial \(trial): record at \(record.range.lowerBound)") }
            }
            #expect(scan.commits.count >= untouched.filter { $0.cid == nil }.count, "trial \(trial)")
            try buffer.withUnsafeBytes { buf in
                for b in scan.blocks {
                    let frame = try Record.read(buf, at: b.record.lowerBound)
                    let (cid, bytes) = try BlockRecord.decode(buf, body: frame.body)
                    let verified = try cid.verify(bytes)
                    #expect(cid == b.cid && verified, "trial \(trial)")
                }
            }
        }
    }
}
