import Engram
import EngramCAR
import EngramIPLD
import EngramStore
import EngramSync
import Testing

/// `exportCAR` and `importCAR`: whole and incremental archives, and archives that lie.
struct ArchiveTests {
    static func export(_ repo: Repository, _ roots: [CID], since: [CID] = []) throws -> [UInt8] {
        var out: [UInt8] = []
        let box = Sink()
        _ = try repo.exportCAR(roots: roots, since: since) { box.bytes += $0 }
        out = box.bytes
        return out
    }

    final class Sink: @unchecked Sendable { var bytes: [UInt8] = [] }

    static func importing(_ bytes: [UInt8], into repo: Repository, ref: String? = nil, force: Bool = false) throws -> ImportReport {
        var reader = try CARReader(bytes: bytes)
        return try repo.importCAR(&reader, ref: ref, force: force)
    }

    /// An archive of `blocks` under `roots`, in the given order.
    static func archive(_ roots: [CID], _ blocks: [Block]) throws -> [UInt8] {
        let box = Sink()
        var w = try CARWriter(roots: roots) { box.bytes += $0 }
        for b in blocks { try w.write(b) }
        try w.finish()
        return box.bytes
    }

    @Test func wholeAndIncrementalArchivesRebuildTheHistory() throws {
        let origin = try SyncSupport.memoryRepository()
        let first = try SyncSupport.commit(origin, ids: 0..<50, salt: 1)
        let second = try SyncSupport.commit(origin, ids: 40..<60, salt: 2)
        let whole = try Self.export(origin, [first])
        let increment = try Self.export(origin, [second], since: [first])
        #expect(increment.count < whole.count)

        let copy = try SyncSupport.memoryRepository()
        // The increment alone lacks its base.
        #expect(throws: SyncError.self) { try Self.importing(increment, into: copy, ref: "refs/heads/main") }
        #expect(try copy.branchHead("main") == nil)
        _ = try Self.importing(whole, into: copy, ref: "refs/heads/main")
        let report = try Self.importing(increment, into: copy, ref: "refs/heads/main")
        #expect(report.ref?.new == second.description)
        #expect(try SyncSupport.nodes(copy, second) == SyncSupport.nodes(origin, second))
        #expect(try SyncSupport.closure(copy, [second]) == SyncSupport.closure(origin, [second]))
    }

    @Test func blocksInAnyOrderAreAccepted() throws {
        let origin = try SyncSupport.memoryRepository()
        let head = try SyncSupport.commit(origin, ids: 0..<20, salt: 1)
        var reader = try CARReader(bytes: try Self.export(origin, [head]))
        let blocks = try reader.readAll()
        let copy = try SyncSupport.memoryRepository()
        _ = try Self.importing(try Self.archive([head], blocks.reversed()), into: copy, ref: "refs/heads/main")
        #expect(try copy.branchHead("main") == head)
    }

    @Test func aStrayBlockRefusesTheWholeArchive() throws {
        let origin = try SyncSupport.memoryRepository()
        let head = try SyncSupport.commit(origin, ids: 0..<20, salt: 1)
        var reader = try CARReader(bytes: try Self.export(origin, [head]))
        let blocks = try reader.readAll()
        let stray = Block(bytes: Array("nul\u{0}stray".utf8), codec: .raw)
        let copy = try SyncSupport.memoryRepository()
        #expect(throws: SyncError.unrequestedBlock(stray.cid)) {
            try Self.importing(try Self.archive([head], blocks + [stray]), into: copy, ref: "refs/heads/main")
        }
        #expect(try copy.branchHead("main") == nil)
        for b in blocks { #expect(try !copy.store.has(b.cid)) }
    }

    @Test func aRefMovesOnlyForwardUnlessForced() throws {
        let origin = try SyncSupport.memoryRepository()
        let first = try SyncSupport.commit(origin, ids: 0..<10, salt: 1)
        let other = try SyncSupport.memoryRepository()
        let unrelated = try SyncSupport.commit(other, ids: 0..<10, salt: 9)
        let copy = try SyncSupport.memoryRepository()
        _ = try Self.importing(try Self.export(origin, [first]), into: copy, ref: "refs/heads/main")
        let archive = try Self.export(other, [unrelated])
        #expect(throws: SyncError.notFastForward(ref: "refs/heads/main", current: first, proposed: unrelated)) {
            try Self.importing(archive, into: copy, ref: "refs/heads/main")
        }
        #expect(try copy.branchHead("main") == first)
        _ = try Self.importing(archive, into: copy, ref: "refs/heads/main", force: true)
        #expect(try copy.branchHead("main") == unrelated)
    }
}
