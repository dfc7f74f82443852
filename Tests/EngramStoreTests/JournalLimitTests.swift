import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// Journal record locations beyond 4 GiB and commits a reader could not read back: no trap, and
/// an oversized commit is refused before anything is written.
@Suite struct JournalLimitTests {
    @Test func locationsBeyondFourGiBAreKept() {
        var index = JournalIndex()
        let far = 5 << 30 + 12_345
        let longest = Record.maxBody + Record.overhead
        index.insert(key: 42, offset: far, length: longest)
        index.insert(key: 42, offset: JournalIndex.maxOffset, length: 9)
        index.insert(key: 0, offset: 16, length: 100)
        let found = index.candidates(42).map { [$0.offset, $0.length] }.sorted { $0[0] < $1[0] }
        #expect(found == [[far, longest], [JournalIndex.maxOffset, 9]])
        #expect(index.candidates(0).map { [$0.offset, $0.length] } == [[16, 100]])
        #expect(!JournalIndex.canHold(offset: JournalIndex.maxOffset + 1, length: 9))
        #expect(!JournalIndex.canHold(offset: 0, length: 1 << JournalIndex.lengthBits))
        // The writer's limits keep every offset in range: a full segment plus the largest commit.
        #expect(JournalLimits.maxSegmentBytes + JournalLimits.maxCommitBytes + longest <= JournalIndex.maxOffset)
    }

    @Test func commitSizeIsCheckedBeforeWriting() throws {
        #expect(throws: Never.self) { try JournalLimits.checkCommit(bytes: JournalLimits.maxCommitBytes) }
        #expect(throws: StoreError.commitTooLarge(reason: "\(5 << 40) bytes of records, over the \(1 << 37)-byte limit")) {
            try JournalLimits.checkCommit(bytes: 5 << 40)
        }
        var options = FileBlockStore.Options()
        options.segmentSize = .max
        #expect(options.segmentSize == JournalLimits.maxSegmentBytes)
    }

    /// A commit record a reader would take for damage (over 16 MiB, or more than 65,535 ref
    /// updates) is refused with `commitTooLarge`; its blocks are not written and the store
    /// reopens with every earlier commit.
    @Test(arguments: [false, true])
    func unreadableCommitRecordIsRefused(manyUpdates: Bool) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 64 << 20))
        let kept = rawBlocks(3, seed: 2)
        try store.commit(blocks: kept, refUpdates: [.move("refs/heads/main", from: nil, to: kept[0].cid)], message: "first")
        let refused = rawBlocks(2, seed: 3)
        let updates = manyUpdates
            ? (0...Int(UInt16.max)).map { RefUpdate(name: "refs/tags/t\($0)", expected: .any, new: .cid(refused[0].cid)) }
            : [RefUpdate.move("refs/heads/main", from: kept[0].cid, to: refused[0].cid)]
        // Non-ASCII, NUL-containing text, 17 MiB of UTF-8.
        let message = manyUpdates ? "ok" : String(repeating: "é\u{0}訊", count: 17 << 20 / 6 + 1)
        #expect {
            try store.commit(blocks: refused, refUpdates: updates, message: message)
        } throws: { error in
            guard case StoreError.commitTooLarge(let reason) = error else { return false }
            return reason.contains(manyUpdates ? "\(Int(UInt16.max) + 1) ref updates" : "-byte limit")
        }
        #expect(try !store.has(refused[0].cid))
        #expect(try store.refs.resolve("refs/heads/main") == kept[0].cid)
        // The store still takes commits, and a reopen sees exactly the accepted ones.
        try store.commit(blocks: refused, refUpdates: [.move("refs/heads/main", from: kept[0].cid, to: refused[1].cid)], message: "second")
        try store.close()
        let again = try FileBlockStore.open(at: dir.store, options: testOptions())
        defer { try? again.close() }
        #expect(try again.refs.resolve("refs/heads/main") == refused[1].cid)
        #expect(try again.refs.resolve("refs/tags/t0") == nil)
        #expect(again.refs.reflog("refs/heads/main").map(\.message) == ["first", "second"])
    }

    /// A symbolic target too long for its u16 length is refused, not cut.
    @Test func symbolicTargetLongerThanAU16LengthIsRefused() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        defer { try? store.close() }
        let target = "refs/heads/" + String(repeating: "ä", count: 40_000)
        #expect(throws: StoreError.invalidRefName(target)) {
            try store.commit(blocks: [], refUpdates: [RefUpdate(name: "HEAD", expected: .any, new: .symbolic(target))])
        }
        #expect(try store.refs.get("HEAD") == .symbolic("refs/heads/main"))
    }
}
