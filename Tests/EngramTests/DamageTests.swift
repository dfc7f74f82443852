import Engram
import EngramIPLD
import EngramTestSupport
import Foundation
import Testing
@testable import EngramStore

/// Damage to a repository's files, byte by byte: every change is either reported (by open or by
/// `fsck`) or leaves every acknowledged commit readable with its exact contents. Never silent loss.
@Suite struct DamageTests {
    /// What a small repository holds: its refs and every block's bytes.
    struct Original {
        var refs: [String: RefValue]
        var blocks: [CID: [UInt8]]
    }

    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// A repository of `commits` graph commits with non-ASCII, NFD and NUL-containing text,
    /// closed; with `packFirst`, the first half is compacted into a pack.
    static func makeRepository(_ path: String, commits: Int, packFirst: Bool = false) throws -> Original {
        var options = FileBlockStore.Options()
        options.autoCompact = false
        options.compactOnCloseAbove = nil
        let repo = try Repository(store: FileBlockStore.create(at: path, options: options))  // the store directory itself (files are damaged below)
        for i in 0..<commits {
            var tx = try repo.transaction()
            tx.addNode(label: i % 2 == 0 ? "Caf\u{e9}" : "Cafe\u{301}",
                       props: ["n\u{0}ame": .string("v\(i)\u{0}\u{1F600}"), "i": .int(Int64(i))], id: id(UInt64(i)))
            if i > 0 { tx.addEdge(from: id(UInt64(i - 1)), "next", to: id(UInt64(i)), id: id(1000 + UInt64(i))) }
            _ = try repo.commit(tx, CommitInfo(author: "t", message: "c\(i)", time: Int64(i)))
            if packFirst && i == commits / 2 { try (repo.store as! FileBlockStore).compactAll() }
        }
        let store = repo.store as! FileBlockStore
        var blocks: [CID: [UInt8]] = [:]
        try store.forEachCID { blocks[$0] = try store.fetch($0) }
        var refs = Dictionary(store.refs.list(prefix: "").map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        refs["HEAD"] = try store.refs.get("HEAD")
        #expect(refs["refs/heads/main"] != nil)
        try store.close()
        return Original(refs: refs, blocks: blocks)
    }

    /// Opens the damaged copy; true when the damage was reported, false when every block and ref
    /// of `original` came back exactly (anything else is recorded as silent loss).
    static func reportedOrIntact(_ path: String, _ original: Original, _ what: String) -> Bool {
        let store: FileBlockStore
        // No writer runs, so a reader's retries (for a writer compacting under it) would only
        // repeat the same load.
        var options = FileBlockStore.Options(readOnly: true)
        options.readerRetries = 0
        do { store = try FileBlockStore.open(at: path, options: options) } catch {
            #expect(error is StoreError, "\(what): untyped \(error)")
            return true
        }
        do {
            if try !store.fsck().isClean { return true }
            for (name, value) in original.refs {
                #expect(try store.refs.get(name) == value, "\(what): ref \(name) silently changed")
            }
            for (cid, bytes) in original.blocks {
                #expect(try store.get(cid) == bytes, "\(what): block \(cid) silently lost or changed")
            }
        } catch {
            // A typed refusal on read (a corrupt record) is a report too.
            #expect(error is StoreError, "\(what): untyped \(error)")
            return true
        }
        return false
    }

    /// Flips each byte at `offsets` of `file` in one copy of the repository, in place, checks,
    /// and flips it back: opening read-only writes nothing, so the rest of the copy stays as
    /// made (checked at the end), and each flip sees exactly one damaged byte.
    static func eachFlip(of file: String, in dir: String, offsets: [Int], _ original: Original) throws -> (reported: Int, intact: Int) {
        let copy = dir + ".copy"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: dir, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: copy + "/" + file))
        defer { try? handle.close() }
        let bytes = try [UInt8](handle.readToEnd() ?? Data())
        var counts = (reported: 0, intact: 0)
        for offset in offsets where offset < bytes.count {
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: [bytes[offset] ^ 0x5a])
            if reportedOrIntact(copy, original, "\(file) byte \(offset)") { counts.reported += 1 } else { counts.intact += 1 }
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: [bytes[offset]])
        }
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            let a = FileManager.default.contents(atPath: dir + "/" + name), b = FileManager.default.contents(atPath: copy + "/" + name)
            #expect(a == b, "\(name) changed in the copy: a read-only open wrote to it")
        }
        return counts
    }

    static func tempPath() -> String {
        TestDirectory.path("engram-damage")
    }

    @Test func everyByteOfTheLiveJournalFlippedIsReported() throws {
        let dir = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = try Self.makeRepository(dir, commits: 6)
        let segment = "journal/0000000000000001.log"
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/" + segment)[.size] as! Int
        let counts = try Self.eachFlip(of: segment, in: dir, offsets: Array(0..<size), original)
        // Every byte of a cleanly closed journal was durable: each flip must be caught.
        #expect(counts.reported == size, "\(counts)")
    }

    @Test func everyByteOfManifestAndPackIndexFlippedIsReportedOrHarmless() throws {
        let dir = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = try Self.makeRepository(dir, commits: 6, packFirst: true)
        let manifestSize = try FileManager.default.attributesOfItem(atPath: dir + "/MANIFEST")[.size] as! Int
        let manifest = try Self.eachFlip(of: "MANIFEST", in: dir, offsets: Array(0..<manifestSize), original)
        #expect(manifest.reported == manifestSize, "\(manifest)")
        let index = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/packs").first { $0.hasSuffix(".idx") })
        let indexSize = try FileManager.default.attributesOfItem(atPath: dir + "/packs/" + index)[.size] as! Int
        // The header, the entries and the CRC byte by byte; the 256 KiB fanout at a stride.
        let fanoutEnd = 24 + 65536 * 4
        let offsets = Array(0..<24) + Array(stride(from: 24, to: fanoutEnd, by: 257)) + Array(fanoutEnd - 8..<indexSize)
        _ = try Self.eachFlip(of: "packs/" + index, in: dir, offsets: offsets, original)
    }

    @Test func emptiedOrMissingLiveSegmentIsReported() throws {
        let dir = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.makeRepository(dir, commits: 3)
        let segment = dir + "/journal/0000000000000001.log"
        try Data().write(to: URL(fileURLWithPath: segment))
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir) }
        try FileManager.default.removeItem(atPath: segment)
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir) }
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir, options: FileBlockStore.Options(readOnly: true)) }
    }
}

/// A graph commit is one store commit: with strict durability it costs one `fdatasync`.
@Suite struct WriteSessionTests {
    @Test func aGraphCommitSyncsOnce() throws {
        let dir = DamageTests.tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sys = SystemCalls(plan: FaultPlan())
        var options = FileBlockStore.Options()
        options.sys = sys
        let repo = try Repository(store: FileBlockStore.create(at: dir, options: options))  // the store directory itself (files are damaged below)
        for round in 0..<3 {
            var tx = try repo.transaction()
            for i in 0..<10 {
                tx.addNode(label: "M\u{e9}moire", props: ["k": .int(Int64(i))], id: DamageTests.id(UInt64(round * 100 + i)))
            }
            let before = sys.counts[.fdatasync, default: 0]
            let cid = try repo.commit(tx, CommitInfo(author: "t", message: "r\(round)"))
            #expect(sys.counts[.fdatasync, default: 0] - before == 1, "round \(round)")
            #expect(try repo.head() == cid)
        }
        #expect(try repo.snapshot(try repo.head()).nodeCount() == 30)
    }

    /// Blocks staged by a session whose commit fails after writing them (a property name over
    /// the key limit fails in the props index, after the node block was staged) never reach
    /// the store.
    @Test func aFailedCommitLeavesNoBlocks() throws {
        let store = MemoryBlockStore()
        let repo = try Repository(store: store)
        var tx = try repo.transaction()
        var count = 0
        try store.forEachCID { _ in count += 1 }
        tx.addNode(label: "a", props: [String(repeating: "\u{e9}", count: 1500): .int(1)], id: DamageTests.id(1))
        #expect(throws: GraphError.self) { try repo.commit(tx, CommitInfo(author: "t", message: "x")) }
        var after = 0
        try store.forEachCID { _ in after += 1 }
        #expect(after == count)
    }
}
