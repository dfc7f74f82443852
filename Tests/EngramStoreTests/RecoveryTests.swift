import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

@Suite struct RecoveryTests {
    /// Five commits of a closed store, with the journal's end offset after each.
    static func fiveCommits(_ dir: TempDirectory) throws -> [(end: Int, root: CID, blocks: [Block])] {
        var commits: [(end: Int, root: CID, blocks: [Block])] = []
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        var previous: CID? = nil
        for i in 0..<5 {
            let kids = rawBlocks(2, size: 40, seed: UInt64(i + 10))
            let root = try node("c\(i)", links: kids.map(\.cid) + (previous.map { [$0] } ?? []))
            try store.commit(blocks: kids + [root], refUpdates: [.move("refs/heads/main", from: previous, to: root.cid)])
            commits.append((store.state.withLock { $0.tail }, root.cid, kids + [root]))
            previous = root.cid
        }
        try store.close()
        return commits
    }

    /// A crash mid-commit: the last commit's bytes were written but never synced, so `DURABLE`
    /// still names the end of the commit before it. Cutting the file at every offset of that
    /// unsynced tail recovers exactly the last complete commit before the cut, and truncates
    /// the file there.
    @Test func tornTailAtEveryOffsetRecoversTheLastCompleteCommit() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let commits = try Self.fiveCommits(dir)
        let segment = try #require(files(in: dir.store + "/journal", suffix: ".log").first)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        #expect(original.count == commits.last!.end)
        #expect(try DurableMark.read(dir.store, sys: .live) == DurableMark(segment: 1, offset: commits[4].end))
        let copy = TempDirectory()
        defer { copy.cleanup() }
        for cut in commits[3].end...original.count {
            try? FileManager.default.removeItem(atPath: copy.store)
            try FileManager.default.copyItem(atPath: dir.store, toPath: copy.store)
            try Data(DurableMark(segment: 1, offset: commits[3].end).encode()).write(to: URL(fileURLWithPath: copy.store + "/DURABLE"))
            let copied = copy.store + "/journal/" + URL(fileURLWithPath: segment).lastPathComponent
            try original.prefix(cut).write(to: URL(fileURLWithPath: copied))
            let survivors = commits.filter { $0.end <= cut }
            let store = try FileBlockStore.open(at: copy.store, options: testOptions())
            #expect(try store.refs.resolve("HEAD") == survivors.last?.root, "cut at \(cut)")
            for c in survivors { for b in c.blocks { #expect(try store.get(b.cid) == b.bytes) } }
            for c in commits where c.end > cut { #expect(try store.get(c.root) == nil, "cut at \(cut)") }
            #expect(store.state.withLock { $0.tail } == survivors.last!.end)
            try store.close()
            let size = try FileManager.default.attributesOfItem(atPath: copied)[.size] as! Int
            #expect(size == survivors.last!.end, "recovery truncates to the last commit")
        }
    }

    /// Cutting a cleanly closed journal anywhere is damage, not a torn write: every byte was
    /// durable. Writer and reader opens refuse with the file and offset; nothing is truncated.
    @Test func truncationOfDurableBytesAtEveryOffsetIsReported() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let commits = try Self.fiveCommits(dir)
        let segment = try #require(files(in: dir.store + "/journal", suffix: ".log").first)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        let copy = TempDirectory()
        defer { copy.cleanup() }
        for cut in 0..<original.count {
            try? FileManager.default.removeItem(atPath: copy.store)
            try FileManager.default.copyItem(atPath: dir.store, toPath: copy.store)
            let copied = copy.store + "/journal/" + URL(fileURLWithPath: segment).lastPathComponent
            try original.prefix(cut).write(to: URL(fileURLWithPath: copied))
            for readOnly in [false, true] {
                var options = testOptions()
                options.readOnly = readOnly
                do {
                    _ = try FileBlockStore.open(at: copy.store, options: options)
                    Issue.record("cut at \(cut): opened")
                } catch StoreError.damaged(let path, let offset, let reason) {
                    // The first invalid record starts at or before the cut (the header at 0).
                    #expect(path == copied && offset <= cut && (cut >= 16 || offset == 0), "cut at \(cut): \(offset) \(reason)")
                    if commits.contains(where: { $0.end == cut }) {
                        #expect(reason == "the file ends at byte \(cut), but \(commits.last!.end) bytes of it were durable")
                    }
                }
            }
            let size = try FileManager.default.attributesOfItem(atPath: copied)[.size] as! Int
            #expect(size == cut, "nothing is truncated")
        }
    }

    /// A segment created just before a crash may have a torn header: when no mark vouches for
    /// it, it is rebuilt; when the mark says its bytes were durable, it is damage.
    @Test func tornSegmentHeaderIsRebuiltUnlessItWasDurable() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let block = rawBlocks(1)[0]
        do {
            let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 64))
            try store.put(block)
            try store.put(rawBlocks(1, seed: 2)[0])  // rolls to segment 2
            try store.close()
        }
        let segments = files(in: dir.store + "/journal", suffix: ".log")
        try #require(segments.count == 2)
        try Data([0x45, 0x4e]).write(to: URL(fileURLWithPath: segments[1]))
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir.store, options: testOptions(segmentSize: 64)) }
        // As if the crash came before the roll's mark reached the disk.
        try Data(DurableMark(segment: 1, offset: 16).encode()).write(to: URL(fileURLWithPath: dir.store + "/DURABLE"))
        let store = try FileBlockStore.open(at: dir.store, options: testOptions(segmentSize: 64))
        #expect(try store.get(block.cid) == block.bytes)
        try store.put(rawBlocks(1, seed: 3)[0])
        #expect(try store.fsck().isClean)
    }
}

extension RecoveryTests {
    /// A kill right after the next segment was created, before its header was written, leaves
    /// an empty file: reopening must give it a header, so commits written there survive.
    @Test func emptyNewestSegmentGetsItsHeader() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let first = rawBlocks(1, seed: 5)[0]
        do {
            let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 64))
            try store.put(first)
            try store.close()
        }
        FileManager.default.createFile(atPath: StoreFiles.segment(dir.store, 2), contents: Data())
        let later = rawBlocks(3, seed: 6)
        do {
            let store = try FileBlockStore.open(at: dir.store, options: testOptions(segmentSize: 1 << 20))
            try store.put(later)
            try store.close()
        }
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in [first] + later { #expect(try store.get(b.cid) == b.bytes) }
        #expect(try store.fsck().isClean)
    }
}
