import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

@Suite struct RecoveryTests {
    /// Truncating the journal at every byte offset of its last records, then opening, recovers
    /// exactly the last complete commit before the cut.
    @Test func truncationAtEveryOffsetRecoversTheLastCompleteCommit() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var commits: [(end: Int, root: CID, blocks: [Block])] = []
        do {
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
        }
        let segment = try #require(files(in: dir.store + "/journal", suffix: ".log").first)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        #expect(original.count == commits.last!.end)
        let copy = TempDirectory()
        defer { copy.cleanup() }
        for cut in commits[3].end...original.count {
            try? FileManager.default.removeItem(atPath: copy.store)
            try FileManager.default.copyItem(atPath: dir.store, toPath: copy.store)
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

    @Test func tornSegmentHeaderIsRebuilt() throws {
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
        #expect(segments.count == 2)
        try Data([0x45, 0x4e]).write(to: URL(fileURLWithPath: segments[1]))
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
