import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// A flipped byte in a stored block is reported by `get` (naming the CID) and by `fsck`,
/// never returned as data.
@Suite struct CorruptionTests {
    static func flip(_ path: String, at offset: Int) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1)![0]
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x20])
    }

    func expectCorrupt(_ store: FileBlockStore, _ block: Block, _ context: String) {
        do {
            let bytes = try store.get(block.cid)
            Issue.record("\(context): returned \(bytes.map { "\($0.count) bytes" } ?? "nil") instead of an error")
        } catch StoreError.corruptBlock(let cid, _) {
            #expect(cid == block.cid, "\(context)")
        } catch {
            Issue.record("\(context): \(error)")
        }
    }

    @Test(arguments: [false, true])
    func flippedByteIsReportedNeverReturned(inPack: Bool) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(5, size: 120) + [Block(bytes: Array(String(repeating: "compressible ", count: 40).utf8), codec: .raw)]
        var store = try FileBlockStore.create(at: dir.store, options: testOptions())
        try store.put(blocks)
        if inPack {
            try store.compact()
            try store.compactAll()
        }
        for victim in [blocks[2], blocks[5]] {
            let (path, offset, length): (String, Int, Int) = store.state.withLock { s in
                for seg in s.segments {
                    if let c = seg.index.candidates(victim.cid.indexKey).first { return (seg.file.path, c.offset, c.length) }
                }
                for p in s.packs {
                    for i in (try? p.entries(withKey: victim.cid.indexKey)) ?? 0..<0 {
                        if let e = try? p.entry(i) { return (p.data.path, e.offset, e.length) }
                    }
                }
                return ("", 0, 0)
            }
            #expect(!path.isEmpty)
            for i in 0..<length {
                try Self.flip(path, at: offset + i)
                expectCorrupt(store, victim, "flip at record byte \(i)")
                if i % 17 == 0 {
                    let report = try store.fsck()
                    #expect(!report.isClean && report.problems.contains { $0.kind == "corrupt-block" || $0.kind == "pack-index" })
                }
                try Self.flip(path, at: offset + i)
            }
            #expect(try store.get(victim.cid) == victim.bytes)
        }
        if inPack {
            // Damage survives a reopen (packs are mapped afresh) and is still reported.
            try Self.flip(files(in: dir.store + "/packs", suffix: ".pack")[0], at: StoreFiles.packHeaderLength + 30)
            try store.close()
            store = try FileBlockStore.open(at: dir.store, options: testOptions())
            #expect(try !store.fsck().isClean)
        }
        #expect(try store.fsck().problems.count <= 1)
    }
}
