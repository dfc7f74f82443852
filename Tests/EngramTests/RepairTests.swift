import Engram
import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// `engram fsck --repair` on a graph repository (SPEC.md 4.9), checked against a copy of the
/// repository taken before the damage: what it keeps is byte for byte the original, refs land on
/// the newest commit whose closure the damage left whole, and the original file is kept aside.
@Suite struct RepairTests {
    /// A repository of `count` graph commits and what it held before any damage.
    struct History {
        var commits: [CID]
        var blocks: [CID: [UInt8]]
        /// Every block each commit reaches (its whole history included).
        var closures: [Set<CID>]
    }

    static let options = RepairOptions { cid, bytes in (try? Commit.decode(bytes, cid: cid))?.parents.first }

    static func build(_ path: String, commits count: Int, segmentSize: Int = 64 << 20, packAt: Int? = nil) throws -> History {
        var options = FileBlockStore.Options()
        options.autoCompact = false
        options.compactOnCloseAbove = nil
        options.segmentSize = segmentSize
        let repo = try Repository(store: FileBlockStore.create(at: path, options: options))  // the store directory itself (files are damaged below)
        var commits: [CID] = []
        for i in 0..<count {
            var tx = try repo.transaction()
            tx.addNode(label: i % 2 == 0 ? "M\u{e9}moire" : "Me\u{301}moire",
                       props: ["n\u{0}om": .string("\u{1F9E0} \(i)\u{0}fin"), "i": .int(Int64(i))], id: DamageTests.id(UInt64(i)))
            if i > 0 { tx.addEdge(from: DamageTests.id(UInt64(i - 1)), "suit", to: DamageTests.id(UInt64(i)), id: DamageTests.id(5000 + UInt64(i))) }
            commits.append(try repo.commit(tx, CommitInfo(author: "t", message: "c\(i)", time: Int64(i))))
            if i == packAt { try (repo.store as! FileBlockStore).compactAll() }
        }
        let store = repo.store as! FileBlockStore
        var blocks: [CID: [UInt8]] = [:]
        try store.forEachCID { blocks[$0] = try store.fetch($0) }
        let closures = try commits.map { try BlockLinks.closure(of: [$0], in: store) }
        try store.close()
        return History(commits: commits, blocks: blocks, closures: closures)
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// The framed records of a segment (parsed here, not by the store): start, length and kind.
    static func frames(_ segment: [UInt8]) -> [(start: Int, length: Int, kind: UInt8)] {
        var out: [(Int, Int, UInt8)] = []
        var at = 16
        while at + 9 <= segment.count {
            let length = segment[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int($1) } + 9
            guard at + length <= segment.count else { break }
            out.append((at, length, segment[at + 4]))
            at += length
        }
        return out
    }

    /// Checks a repaired store against `history`: the store opens, `fsck` is clean, main is the
    /// newest commit whose closure holds none of `lost`, and every block of every commit up to
    /// it is the original's. `moved`: whether main had to move from the last commit.
    static func expectRepaired(_ path: String, _ history: History, lost: Set<CID>, moved: Bool, _ report: RepairReport) throws -> Int {
        let newest = try #require(history.closures.lastIndex { $0.isDisjoint(with: lost) })
        let store = try FileBlockStore.open(at: path)
        #expect(try store.fsck().isClean)
        #expect(try store.refs.get("refs/heads/main") == .cid(history.commits[newest]))
        for cid in history.closures[newest] { #expect(try store.getVerified(cid) == history.blocks[cid]) }
        var kept = Set<CID>()
        try store.forEachCID { kept.insert($0) }
        #expect(Set(history.blocks.keys).subtracting(kept) == lost, "only the damaged blocks are gone")
        if moved {
            let last = try #require(store.refs.reflog("refs/heads/main").last)
            #expect(last.old == .cid(history.commits.last!) && last.new == .cid(history.commits[newest]))
            #expect(last.message == "fsck --repair: moved from \(history.commits.last!) to \(history.commits[newest]) "
                    + "(closure incomplete: \(history.closures.last!.intersection(lost).count) blocks missing)")
            #expect(report.commitsLost == Array(history.commits[(newest + 1)...].reversed()))
            #expect(report.refsMoved == [RepairReport.RefMove(name: "refs/heads/main", from: history.commits.last!, to: history.commits[newest],
                                                               missingBlocks: history.closures.last!.intersection(lost).count)])
        } else {
            #expect(report.refsMoved.isEmpty && report.commitsLost.isEmpty)
        }
        try store.close()
        // The graph reads back through the graph layer, NUL and non-ASCII text intact.
        let repo = try Repository.open(at: path)
        let snapshot = try repo.snapshot(try repo.head())
        #expect(try snapshot.nodeCount() == UInt64(newest + 1))
        #expect(try snapshot.node(DamageTests.id(UInt64(newest)))?.props["n\u{0}om"] == .string("\u{1F9E0} \(newest)\u{0}fin"))
        return newest
    }

    /// Flips a byte in the middle of the first block record past `from` in `segment` whose block
    /// is not in `sparing` (blocks every commit shares, such as the text configuration, whose
    /// loss would leave no commit to move back to); returns that record's range and the file's
    /// damaged bytes.
    static func flipBlockRecord(_ segment: String, from: Int, sparing: Set<CID> = []) throws -> (record: Range<Int>, damaged: [UInt8]) {
        var bytes = try Self.bytes(segment)
        let frame = try #require(frames(bytes).first { f in
            f.kind == 1 && f.start >= from && f.length > 60
                && !sparing.contains { bytes[(f.start + 5)..<(f.start + f.length)].starts(with: $0.bytes) }
        })
        bytes[frame.start + frame.length / 2] ^= 0x5a
        try write(bytes, segment)
        return (frame.start..<frame.start + frame.length, bytes)
    }

    /// The CID whose record was damaged: the only original block whose binary CID starts its body.
    static func cid(in record: Range<Int>, of original: [UInt8], _ history: History) throws -> CID {
        let body = Array(original[(record.lowerBound + 5)..<record.upperBound])
        return try #require(history.blocks.keys.first { body.starts(with: $0.bytes) })
    }

    @Test(arguments: [false, true])
    func aFlippedBlockRecordLosesOnlyTheCommitsThatReachIt(sealed: Bool) throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try Self.build(dir, commits: 20, segmentSize: sealed ? 8192 : 64 << 20)
        let segment = dir + "/journal/0000000000000001.log"
        let original = try Self.bytes(segment)
        if sealed { #expect(FileManager.default.fileExists(atPath: dir + "/journal/0000000000000002.log")) }
        let (record, damaged) = try Self.flipBlockRecord(segment, from: original.count / 2, sparing: history.closures[0])
        let lost = try Self.cid(in: record, of: original, history)
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir) }

        let report = try FileBlockStore.repair(at: dir, options: Self.options)
        #expect(report.damageFound)
        #expect(report.setAside == ["damaged/1/journal/0000000000000001.log"])
        #expect(try Self.bytes(dir + "/damaged/1/journal/0000000000000001.log") == damaged)
        #expect(report.recordsDropped == 1 && report.bytesDropped == record.count)
        #expect(report.blocksMissing == 1 && report.missingFiles.isEmpty)
        let newest = try Self.expectRepaired(dir, history, lost: [lost], moved: true, report)
        #expect(newest < 19, "the damaged block is reached by the last commit")
        // A second repair finds nothing to do.
        #expect(try FileBlockStore.repair(at: dir, options: Self.options) == RepairReport())
    }

    /// A flipped byte in a pack record: pack and index are set aside, the other records move to
    /// a new pack, and main moves back past every commit that reaches the lost block.
    @Test func aFlippedPackRecordLosesOnlyTheCommitsThatReachIt() throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try Self.build(dir, commits: 20, packAt: 9)
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/packs").first { $0.hasSuffix(".pack") })
        let original = try Self.bytes(dir + "/packs/" + pack)
        let (record, damaged) = try Self.flipBlockRecord(dir + "/packs/" + pack, from: original.count / 2,
                                                        sparing: history.closures[0])
        let lost = try Self.cid(in: record, of: original, history)

        let report = try FileBlockStore.repair(at: dir, options: Self.options)
        let index = pack.replacingOccurrences(of: ".pack", with: ".idx")
        #expect(Set(report.setAside) == ["damaged/1/packs/" + pack, "damaged/1/packs/" + index])
        #expect(try Self.bytes(dir + "/damaged/1/packs/" + pack) == damaged)
        #expect(report.recordsDropped == 1 && report.bytesDropped == record.count && report.blocksMissing == 1)
        #expect(try Self.expectRepaired(dir, history, lost: [lost], moved: true, report) < 9)
    }

    /// Durable bytes cut off (inside a block record, or exactly after a commit record, where
    /// every record left is valid but the file is shorter than `DURABLE` says): the commits whose
    /// records survive are kept and main stays where the last of them put it.
    @Test(arguments: [false, true])
    func truncatedDurableBytesKeepEveryCommitBeforeTheCut(atBoundary: Bool) throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try Self.build(dir, commits: 20)
        let segment = dir + "/journal/0000000000000001.log"
        let original = try Self.bytes(segment)
        let frames = Self.frames(original)
        let commitRecords = frames.filter { $0.kind == 2 }
        // One store commit per graph commit, after those that created the repository.
        let setup = commitRecords.count - 20
        #expect(setup >= 0)
        let cut = try #require(frames.first { $0.start > original.count / 2 && $0.kind == (atBoundary ? 2 : 1) })
        let end = atBoundary ? cut.start + cut.length : cut.start + 7
        try Self.write(Array(original[..<end]), segment)
        let surviving = commitRecords.filter { $0.start + $0.length <= end }.count - setup
        #expect(surviving > 1 && surviving < 20)

        let report = try FileBlockStore.repair(at: dir, options: Self.options)
        #expect(report.recordsDropped == (atBoundary ? 0 : 1) && report.bytesDropped == (atBoundary ? 0 : 7))
        #expect(report.setAside == ["damaged/1/journal/0000000000000001.log"])
        #expect(try Self.bytes(dir + "/damaged/1/journal/0000000000000001.log") == Array(original[..<end]))
        let gone = Set(history.blocks.keys).subtracting(history.closures[surviving - 1])
        // Blocks written after the cut are gone; those before it (even of the cut commit) stay.
        let store = try FileBlockStore.open(at: dir, options: FileBlockStore.Options(readOnly: true))
        var kept = Set<CID>()
        try store.forEachCID { kept.insert($0) }
        let newest = try Self.expectRepaired(dir, history, lost: gone.subtracting(kept), moved: false, report)
        #expect(newest == surviving - 1)
    }

    /// A damaged pack index loses nothing: pack and index are set aside, every record is
    /// rewritten into a new pack, and no ref moves.
    @Test func aDamagedPackIndexIsRebuiltFromItsPack() throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try Self.build(dir, commits: 20, packAt: 9)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/packs").sorted { $0.hasSuffix(".pack") && !$1.hasSuffix(".pack") }
        #expect(names.count == 2 && names[0].hasSuffix(".pack"))
        let index = dir + "/packs/" + names[1], pack = dir + "/packs/" + names[0]
        var bytes = try Self.bytes(index)
        bytes[24 + 65536 * 4 + 24 + 3] ^= 0x01  // the second entry's key
        try Self.write(bytes, index)
        let packBytes = try Self.bytes(pack)

        let report = try FileBlockStore.repair(at: dir, options: Self.options)
        #expect(Set(report.setAside) == ["damaged/1/packs/" + names[0], "damaged/1/packs/" + names[1]])
        #expect(try Self.bytes(dir + "/damaged/1/packs/" + names[1]) == bytes)
        #expect(try Self.bytes(dir + "/damaged/1/packs/" + names[0]) == packBytes)
        #expect(report.recordsDropped == 0 && report.bytesDropped == 0 && report.blocksMissing == 0)
        #expect(try Self.expectRepaired(dir, history, lost: [], moved: false, report) == 19)
    }

    /// Nothing damaged: nothing changes, not one byte of any file.
    @Test func anUndamagedStoreIsLeftAsItIs() throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.build(dir, commits: 6, packAt: 2)
        func contents() throws -> [String: [UInt8]] {
            let paths = try #require(FileManager.default.subpaths(atPath: dir))
            var out: [String: [UInt8]] = [:]
            for p in paths where !p.hasSuffix("/") {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDirectory)
                out[p] = isDirectory.boolValue ? [] : try Self.bytes(dir + "/" + p)
            }
            return out
        }
        let before = try contents()
        #expect(try FileBlockStore.repair(at: dir, options: Self.options) == RepairReport())
        #expect(try contents() == before)
    }

    /// Random damage to the live journal (flipped bytes, a zeroed page, a cut): after the repair
    /// the store opens, `fsck` is clean, main is one of the original commits, no later than the
    /// newest whose records all precede the first damaged byte, and its whole closure is the
    /// original's byte for byte.
    @Test func randomDamageNeverLosesACommitBeforeIt() throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try Self.build(dir, commits: 20)
        let segmentName = "/journal/0000000000000001.log"
        let original = try Self.bytes(dir + segmentName)
        let commitEnds = Self.frames(original).filter { $0.kind == 2 }.map { $0.start + $0.length }.suffix(20)
        var rng = RNG(seed: 0x5EED)
        let copy = dir + ".copy"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        for trial in 0..<12 {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: dir, toPath: copy)
            var bytes = original
            let at = Int.random(in: 16..<bytes.count, using: &rng)
            switch trial % 3 {
            case 0: for i in [at, Int.random(in: at..<bytes.count, using: &rng)] { bytes[i] ^= UInt8.random(in: 1...255, using: &rng) }
            case 1: for i in at..<min(at + 512, bytes.count) { bytes[i] = 0 }
            default: bytes.removeSubrange(at...)
            }
            try Self.write(bytes, copy + segmentName)
            let report = try FileBlockStore.repair(at: copy, options: Self.options)
            #expect(report.damageFound && report.recordsDropped >= 1, "trial \(trial)")
            #expect(try Self.bytes(copy + "/damaged/1" + segmentName) == bytes, "trial \(trial)")

            let store = try FileBlockStore.open(at: copy, options: FileBlockStore.Options(readOnly: true))
            #expect(try store.fsck().isClean, "trial \(trial)")
            let safe = commitEnds.filter { $0 <= at }.count - 1
            let main = try store.refs.resolve("refs/heads/main")
            let index = main.flatMap { history.commits.firstIndex(of: $0) }
            #expect(index != nil || (main == nil && safe < 0), "trial \(trial): main is \(String(describing: main))")
            guard let index else { continue }
            #expect(index >= safe, "trial \(trial): damage at \(at) lost commit \(index + 1)")
            for cid in history.closures[index] { #expect(try store.getVerified(cid) == history.blocks[cid], "trial \(trial)") }
        }
    }
}
