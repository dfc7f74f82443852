import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

@Suite struct GarbageCollectorTests {
    /// Quarantine files of syncs cut longer ago than the retention window go at the next
    /// collection; a recent one (a fetch that may still resume) and other files stay.
    @Test func staleQuarantineFilesGoRecentOnesStay() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let quarantine = dir.store + "/quarantine"
        try FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true)
        let old = quarantine + "/fetch-0123456789abcdef01234567.car"
        let oldPush = quarantine + "/push-1-2.car"
        let recent = quarantine + "/fetch-fedcba9876543210fedcba98.car"
        let other = quarantine + "/notes.txt"
        for path in [old, oldPush, recent, other] { FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
        let longAgo = Date(timeIntervalSinceNow: -15 * 24 * 3600)
        for path in [old, oldPush, other] {
            try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: path)
        }
        #expect(try GarbageCollector(store: store).run(dryRun: true).staleQuarantineFiles == 2)
        #expect(FileManager.default.fileExists(atPath: old), "a dry run removes nothing")
        #expect(try GarbageCollector(store: store).run().staleQuarantineFiles == 2)
        #expect(!FileManager.default.fileExists(atPath: old) && !FileManager.default.fileExists(atPath: oldPush))
        #expect(FileManager.default.fileExists(atPath: recent) && FileManager.default.fileExists(atPath: other))
        try store.close()
    }

    @Test func reachableBlocksSurviveUnreachableGo() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 4096))
        let leaves = rawBlocks(10, size: 300)
        let inner = try node("inner", links: leaves[0..<5].map(\.cid))
        let root = try node("root", links: [inner.cid])
        let garbage = Array(leaves[5...]) + [try node("orphan", links: [leaves[0].cid])]
        try store.commit(blocks: leaves + [inner, root] + garbage, refUpdates: [.move("refs/heads/main", from: nil, to: root.cid)])

        let dry = try GarbageCollector(store: store).run(dryRun: true)
        #expect(dry.freedBlocks == garbage.count && dry.reachable == 7)
        for b in garbage { #expect(try store.has(b.cid), "a dry run removes nothing") }
        // A reader beside the writer gets the same plan without the lock.
        let reader = try FileBlockStore.open(at: dir.store, options: FileBlockStore.Options(readOnly: true))
        #expect(try GarbageCollector(store: reader).run(dryRun: true) == dry)
        #expect(throws: StoreError.readOnly) { try GarbageCollector(store: reader).run() }

        let report = try GarbageCollector(store: store).run()
        #expect(report.freedBlocks == garbage.count)
        for b in [root, inner] + leaves[0..<5] { #expect(try store.get(b.cid) == b.bytes) }
        for b in garbage { #expect(try !store.has(b.cid)) }
        #expect(try store.fsck().isClean)
        try store.close()
        let reopened = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in garbage { #expect(try !reopened.has(b.cid)) }
        #expect(try reopened.get(root.cid) == root.bytes)
    }

    @Test func reflogEntriesInsideTheWindowKeepTheirTargets() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let old = try node("old", links: []), new = try node("new", links: [])
        try store.commit(blocks: [old], refUpdates: [.move("refs/heads/main", from: nil, to: old.cid)])
        try store.commit(blocks: [new], refUpdates: [.move("refs/heads/main", from: old.cid, to: new.cid)])
        _ = try GarbageCollector(store: store).run()
        #expect(try store.has(old.cid), "the default 14-day window keeps the previous target")
        let report = try GarbageCollector(store: store, retentionMicroseconds: -1_000_000).run()
        #expect(report.freedBlocks == 1)
        #expect(try !store.has(old.cid) && store.has(new.cid))
        #expect(store.refs.reflog().isEmpty, "expired reflog entries are pruned")
    }

    /// Writes that land between marking and sweeping: re-putting a block that was garbage (so
    /// the put is skipped as a duplicate), writing new blocks, and moving a ref onto old garbage.
    @Test func putsRacingWithCollectionAreNeverLost() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let garbage = rawBlocks(6, size: 100, seed: 9)
        let orphanRoot = try node("orphan", links: [garbage[4].cid, garbage[5].cid])
        try store.put(garbage + [orphanRoot])
        let fresh = rawBlocks(3, size: 100, seed: 10)
        var gc = GarbageCollector(store: store)
        gc.afterMark = {
            try store.put(Array(garbage[0..<2]))  // duplicates: skipped, must be rescued
            try store.put(fresh)
            try store.commit(blocks: [], refUpdates: [.move("refs/heads/topic", from: nil, to: orphanRoot.cid)])
        }
        let report = try gc.run()
        for b in Array(garbage[0..<2]) + fresh + [orphanRoot, garbage[4], garbage[5]] {
            #expect(try store.get(b.cid) == b.bytes)
        }
        #expect(try !store.has(garbage[2].cid) && !store.has(garbage[3].cid))
        #expect(report.rescued >= 5)
        #expect(try store.fsck().isClean)
        try store.close()
        let reopened = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in Array(garbage[0..<2]) + fresh + [orphanRoot] { #expect(try reopened.get(b.cid) == b.bytes) }
    }

    @Test func concurrentWritersDuringCollection() async throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 8192))
        let old = rawBlocks(200, size: 64, seed: 77)
        try store.put(old)
        let written = try await withThrowingTaskGroup(of: [Block].self) { group in
            group.addTask {
                for _ in 0..<5 { _ = try GarbageCollector(store: store).run() }
                return []
            }
            group.addTask {
                // Each commit links a block that is garbage until then (so its write is skipped
                // as a duplicate) and a new one, and moves a ref onto them.
                var acknowledged: [Block] = []
                var previous: CID? = nil
                for i in 0..<100 {
                    let batch = [old[i * 2]] + rawBlocks(1, size: 64, seed: UInt64(1000 + i))
                    let root = try node("w\(i)", links: batch.map(\.cid) + (previous.map { [$0] } ?? []))
                    try store.commit(blocks: batch + [root], refUpdates: [.move("refs/heads/w", from: previous, to: root.cid)])
                    acknowledged += batch + [root]
                    previous = root.cid
                }
                return acknowledged
            }
            return try await group.reduce([], +)
        }
        #expect(written.count == 300)
        for b in written { #expect(try store.get(b.cid) == b.bytes) }
        for (i, b) in old.enumerated() where i % 2 == 1 { #expect(try !store.has(b.cid)) }
        let report = try store.fsck()
        #expect(report.isClean)
    }
}
