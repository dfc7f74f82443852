import EngramIPLD
import Foundation
import Synchronization
import Testing
@testable import EngramStore

@Suite struct ConcurrencyTests {
    /// Readers in other threads see only committed states: whenever a ref resolves, the whole
    /// closure of its target is readable.
    @Test func readersInOtherThreadsSeeOnlyCommittedStates() async throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var options = testOptions(segmentSize: 16 << 10)
        options.autoCompact = true
        let store = try FileBlockStore.create(at: dir.store, options: options)
        final class Flags: Sendable {
            let done = Atomic<Bool>(false)
            let observed = Atomic<Int>(0)
        }
        let flags = Flags()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while !flags.done.load(ordering: .acquiring) {
                        guard let root = try store.refs.resolve("refs/heads/main") else {
                            await Task.yield()
                            continue
                        }
                        var missing: [CID] = []
                        _ = try BlockLinks.closure(of: [root], in: store) { cid, _ in missing.append(cid) }
                        #expect(missing.isEmpty, "closure of \(root) incomplete")
                        flags.observed.add(1, ordering: .relaxed)
                        await Task.yield()
                    }
                }
            }
            group.addTask {
                defer { flags.done.store(true, ordering: .releasing) }
                var previous: CID? = nil
                for i in 0..<150 {
                    let kids = rawBlocks(4, size: 200, seed: UInt64(i) &* 31 &+ 7)
                    let root = try node("r\(i)", links: kids.map(\.cid) + (previous.map { [$0] } ?? []))
                    try store.commit(blocks: kids + [root], refUpdates: [.move("refs/heads/main", from: previous, to: root.cid)])
                    previous = root.cid
                    await Task.yield()
                }
                // Give the readers a chance to look at the final state too (bounded).
                for _ in 0..<100_000 where flags.observed.load(ordering: .relaxed) == 0 { await Task.yield() }
            }
            try await group.waitForAll()
        }
        #expect(flags.observed.load(ordering: .relaxed) > 0)
        #expect(try store.fsck().isClean)
    }

    /// Several threads commit at once (sharing syncs); every acknowledged commit is durable and
    /// each ref's compare-and-swap chain is unbroken after reopening.
    @Test func concurrentCommitsAllLand() async throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let sys = SystemCalls(plan: FaultPlan())
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 32 << 10, sys: sys))
        let all = try await withThrowingTaskGroup(of: [Block].self) { group in
            for t in 0..<4 {
                group.addTask {
                    var mine: [Block] = []
                    var previous: CID? = nil
                    for i in 0..<40 {
                        let kids = rawBlocks(2, size: 100, seed: UInt64(t * 1000 + i))
                        let root = try node("t\(t)-\(i)", links: kids.map(\.cid) + (previous.map { [$0] } ?? []))
                        try store.commit(blocks: kids + [root], refUpdates: [.move("refs/heads/t\(t)", from: previous, to: root.cid)])
                        mine += kids + [root]
                        previous = root.cid
                    }
                    return mine
                }
            }
            return try await group.reduce([], +)
        }
        try store.close()
        let reopened = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in all { #expect(try reopened.get(b.cid) == b.bytes) }
        for t in 0..<4 {
            #expect(reopened.refs.reflog("refs/heads/t\(t)").count == 40)
        }
        #expect(try reopened.fsck().isClean)
    }

    @Test func batchedModeIsDurableAfterFlush() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var options = testOptions()
        options.durability = .batched(milliseconds: 5)
        let blocks = rawBlocks(20)
        do {
            let store = try FileBlockStore.create(at: dir.store, options: options)
            for b in blocks { try store.put(b) }
            #expect(try store.get(blocks[0].cid) == blocks[0].bytes, "visible before the sync")
            try store.flush()
            try store.close()
        }
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in blocks { #expect(try store.get(b.cid) == b.bytes) }
    }
}
