import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// Crafted damage to a pack or its index (a flipped high bit in the count, an entry's offset or
/// length, a broken fanout, a newer version, non-zero reserved bytes) is a typed error naming the
/// file and the byte, from open, reads and `fsck` alike; never a trap.
@Suite struct PackValidationTests {
    /// A store whose blocks are all in one pack, closed; returns the blocks and the pack's paths.
    static func packedStore(_ dir: TempDirectory) throws -> (blocks: [Block], pack: String, index: String) {
        let blocks = rawBlocks(20, size: 90, seed: 7)
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.put(blocks)
        try store.compactAll()
        try store.close()
        let packs = files(in: dir.store + "/packs", suffix: ".pack")
        let indexes = files(in: dir.store + "/packs", suffix: ".idx")
        try #require(packs.count == 1 && indexes.count == 1)
        return (blocks, packs[0], indexes[0])
    }

    /// Overwrites `value` little-endian at `offset` of the file.
    static func patch<T: FixedWidthInteger>(_ path: String, at offset: Int, _ value: T) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: withUnsafeBytes(of: value.littleEndian) { Data($0) })
    }

    static func read<T: FixedWidthInteger>(_ path: String, at offset: Int, as: T.Type) throws -> T {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// Opening (as writer and as reader) throws `expected`'s kind, naming `path` and `mention`.
    static func expectOpenFails(_ dir: TempDirectory, path: String, unsupported: Bool = false, mention: String) {
        for readOnly in [false, true] {
            var options = testOptions()
            options.readOnly = readOnly
            do {
                let store = try FileBlockStore.open(at: dir.store, options: options)
                try? store.close()
                Issue.record("open (readOnly \(readOnly)) accepted the damaged file")
            } catch StoreError.corruptStore(let p, let reason) where !unsupported {
                #expect(p == path && reason.description.contains(mention), "\(reason)")
            } catch StoreError.unsupportedFormat(let p, let found) where unsupported {
                #expect(p == path && found.contains(mention), "\(found)")
            } catch {
                Issue.record("open (readOnly \(readOnly)): unexpected \(error)")
            }
        }
    }

    @Test(arguments: [UInt64(1) << 63, 1 << 40, 21, 0])
    func indexCountThatDoesNotMatchTheFile(count: UInt64) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let (_, _, index) = try Self.packedStore(dir)
        try Self.patch(index, at: 16, count)
        Self.expectOpenFails(dir, path: index, mention: "entry count \(count) at byte 16")
    }

    @Test func lastFanoutSlotMustBeTheCount() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let (_, _, index) = try Self.packedStore(dir)
        let last = Pack.indexHeaderLength + (Pack.fanoutCount - 1) * 4
        for value in [UInt32(19), 21, .max] {
            try Self.patch(index, at: last, value)
            Self.expectOpenFails(dir, path: index, mention: "last fanout slot at byte \(last) is \(value)")
        }
    }

    /// A fanout slot out of order or past the count is found by the lookups that read it (open
    /// reads only the last slot) and by `fsck`; other buckets stay readable.
    @Test(arguments: [(previous: false, value: UInt32(0xffff_0000)), (previous: false, value: 21), (previous: true, value: 20)])
    func fanoutSlotThatDoesNotBoundItsBucket(previous: Bool, value: UInt32) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let (blocks, _, index) = try Self.packedStore(dir)
        // The bucket of a block in the middle of the key order, so neither slot is the last.
        let victim = blocks.sorted { $0.cid.indexKey < $1.cid.indexKey }[10]
        let bucket = Int(victim.cid.indexKey >> 48)
        let slot = previous ? bucket - 1 : bucket
        try Self.patch(index, at: Pack.indexHeaderLength + slot * 4, value)
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        defer { try? store.close() }
        #expect {
            try store.get(victim.cid)
        } throws: { error in
            guard case StoreError.corruptStore(let path, let reason) = error else { return false }
            return path == index && reason.description.contains("fanout[\(bucket)] at byte \(Pack.indexHeaderLength + bucket * 4)")
        }
        let report = try store.fsck()
        #expect(report.problems.contains { $0.kind == "pack-index" && $0.detail.contains("fanout") })
        let others = blocks.filter { $0.cid.indexKey >> 48 != victim.cid.indexKey >> 48 && $0.cid.indexKey >> 48 != UInt64(slot + 1) }
        for block in others { #expect(try store.get(block.cid) == block.bytes) }
    }

    @Test func newerVersionsAreUnsupportedAndReservedBytesMustBeZero() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let (_, pack, index) = try Self.packedStore(dir)
        for path in [index, pack] {
            try Self.patch(path, at: 8, UInt32(2))
            Self.expectOpenFails(dir, path: path, unsupported: true, mention: "version 2 at byte 8")
            try Self.patch(path, at: 8, UInt32(0))
            Self.expectOpenFails(dir, path: path, mention: "version 0 at byte 8")
            try Self.patch(path, at: 8, UInt32(1))
            try Self.patch(path, at: 12, UInt32(1 << 31))
            Self.expectOpenFails(dir, path: path, mention: "reserved field at byte 12 is \(UInt32(1) << 31)")
            try Self.patch(path, at: 12, UInt32(0))
        }
        // Undamaged again: opens and reads everything.
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try store.fsck().isClean)
    }

    /// A damaged entry is found when it is read: `get`, `forEachCID`, compaction and `fsck`
    /// report it (naming the index and the entry's byte); the other blocks stay readable.
    @Test(arguments: [
        (field: 8, value: UInt64(1) << 63),  // offset, high bit
        (field: 8, value: UInt64.max),  // offset + length overflows
        (field: 8, value: 3),  // inside the pack header
        (field: 8, value: 1 << 32),  // past the end of the pack
        (field: 16, value: UInt64(0x8000_0000)),  // length u32, high bit
        (field: 16, value: 2),  // shorter than a record's framing
        (field: 20, value: 1),  // reserved u32
    ])
    func damagedEntry(field: Int, value: UInt64) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let (blocks, _, index) = try Self.packedStore(dir)
        let victim = 7
        let at = Pack.entryPosition(victim)
        if field == 8 {
            try Self.patch(index, at: at + field, value)
        } else {
            try Self.patch(index, at: at + field, UInt32(truncatingIfNeeded: value))
        }
        let key = try Self.read(index, at: at, as: UInt64.self)
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        defer { try? store.close() }
        var failures = 0
        for block in blocks {
            do {
                #expect(try store.get(block.cid) == block.bytes)
            } catch StoreError.corruptStore(let path, let reason) {
                #expect(path == index && reason.description.contains("entry \(victim) at byte \(at)"), "\(reason)")
                #expect(block.cid.indexKey == key)
                failures += 1
            }
        }
        #expect(failures == 1)
        #expect(throws: StoreError.self) { try store.forEachCID { _ in } }
        let report = try store.fsck()
        #expect(report.problems.contains { $0.kind == "pack-index" && $0.subject == index && $0.detail.contains("entry \(victim) at byte \(at)") })
        // Rewriting the pack must not drop or copy the bad entry silently.
        #expect(throws: StoreError.self) { try store.delete([blocks[0].cid]) }
    }
}
