import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

@Suite struct FileBlockStoreTests {
    @Test func putGetSurvivesReopen() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(50) + [try node("root", links: [])]
        do {
            let store = try FileBlockStore.create(at: dir.store, options: testOptions())
            try store.put(blocks)
            for b in blocks { #expect(try store.get(b.cid) == b.bytes) }
            try store.close()
        }
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in blocks {
            #expect(try store.get(b.cid) == b.bytes)
            #expect(try store.has(b.cid))
        }
        #expect(try store.get(Block(bytes: [1, 2, 3], codec: .raw).cid) == nil)
        var seen = Set<CID>()
        try store.forEachCID { seen.insert($0) }
        #expect(seen == Set(blocks.map(\.cid)))
    }

    @Test func putRejectsBytesThatDoNotHashToTheCID() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let good = Block(bytes: [1, 2, 3], codec: .raw)
        #expect(throws: StoreError.hashMismatch(good.cid)) { try store.put(cid: good.cid, bytes: [1, 2, 4]) }
        #expect(try store.get(good.cid) == nil)
    }

    @Test func compactionMovesBlocksIntoPacksAndOpenNeedsNoRescan() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let blocks = rawBlocks(300, size: 500)
        do {
            let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 16 << 10))
            for chunk in stride(from: 0, to: blocks.count, by: 10) { try store.put(Array(blocks[chunk..<chunk + 10])) }
            try store.compact()
            #expect(store.state.withLock { $0.packs.count } >= 1)
            #expect(store.state.withLock { $0.segments.count } == 1)
            try store.close()
        }
        let store = try FileBlockStore.open(at: dir.store, options: testOptions())
        for b in blocks { #expect(try store.get(b.cid) == b.bytes) }
        #expect(try store.fsck().isClean)
        #expect(files(in: dir.store + "/journal", suffix: ".log").count == 1)
    }

    @Test func packsAreMergedDownToTheLimit() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var options = testOptions(segmentSize: 2048)
        options.maxPacks = 3
        let store = try FileBlockStore.create(at: dir.store, options: options)
        let blocks = rawBlocks(60, size: 400)
        for b in blocks {
            try store.put(b)
            try store.compact()
        }
        #expect(store.state.withLock { $0.packs.count } <= 3)
        for b in blocks { #expect(try store.get(b.cid) == b.bytes) }
        #expect(try store.fsck().isClean)
    }

    @Test func compressibleBlocksAreStoredCompressedOthersRaw() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var options = testOptions()
        options.deferCompressionBelow = 0
        let store = try FileBlockStore.create(at: dir.store, options: options)
        let text = Block(bytes: Array(String(repeating: "memory of an agent ", count: 100).utf8), codec: .raw)
        let noise = rawBlocks(1, size: 2000)[0]
        try store.put([text, noise])
        let t = try #require(try store.stat(text.cid))
        let n = try #require(try store.stat(noise.cid))
        #expect(t.compressed && t.storedSize < text.bytes.count / 2)
        #expect(!n.compressed)
        #expect(try store.get(text.cid) == text.bytes)
    }

    /// A small commit is journaled raw (its latency is then about one sync) and compressed when
    /// compaction packs it; a commit over the threshold is compressed as it is written.
    @Test func smallCommitsAreCompressedWhenPacked() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        var options = testOptions()
        options.deferCompressionBelow = 8 << 10
        let store = try FileBlockStore.create(at: dir.store, options: options)
        let text = (0..<4).map { i in
            Block(bytes: Array(String(repeating: "memory \(i) of an agent ", count: 100).utf8), codec: .raw)
        }
        let noise = rawBlocks(1, size: 2000)[0]
        try store.put([text[0], noise])          // 4.4 KB: deferred
        try store.put([text[1], text[2], text[3]])  // 7.5 KB: deferred
        let big = (0..<4).map { i in
            Block(bytes: Array(String(repeating: "a larger memory \(i) ", count: 150).utf8), codec: .raw)
        }
        try store.put(big)                        // 12 KB: compressed now
        for b in text { #expect(try store.stat(b.cid)?.compressed == false) }
        for b in big { #expect(try store.stat(b.cid)?.compressed == true) }

        try store.compactAll()
        for b in text + big {
            let s = try #require(try store.stat(b.cid))
            #expect(s.location == "pack" && s.compressed && s.storedSize < b.bytes.count / 2)
            #expect(try store.get(b.cid) == b.bytes)
        }
        #expect(try store.stat(noise.cid)?.compressed == false)
        #expect(try store.get(noise.cid) == noise.bytes)
        #expect(try store.fsck().isClean)

        // Compaction retries only the commits that deferred: raw records of a large commit were
        // written raw on purpose (here: compression was off then) and stay so.
        let mixedDir = TempDirectory()
        defer { mixedDir.cleanup() }
        var off = testOptions()
        off.compressionLevel = nil
        off.deferCompressionBelow = 8 << 10
        let writer = try FileBlockStore.create(at: mixedDir.store, options: off)
        try writer.put(big)       // 12 KB, not deferred
        try writer.put(text[0])   // 2.2 KB, deferred
        try writer.close()
        var on = testOptions()
        on.deferCompressionBelow = 8 << 10
        let reopened = try FileBlockStore.open(at: mixedDir.store, options: on)
        try reopened.compactAll()
        for b in big { #expect(try reopened.stat(b.cid)?.compressed == false) }
        #expect(try reopened.stat(text[0].cid)?.compressed == true)
        for b in big + [text[0]] { #expect(try reopened.get(b.cid) == b.bytes) }

        // With compression off, compaction leaves blocks raw.
        let plainDir = TempDirectory()
        defer { plainDir.cleanup() }
        var plain = testOptions()
        plain.compressionLevel = nil
        let rawStore = try FileBlockStore.create(at: plainDir.store, options: plain)
        try rawStore.put(text)
        try rawStore.compactAll()
        for b in text { #expect(try rawStore.stat(b.cid)?.compressed == false) }
    }

    @Test func hashFunctionIsRecordedAtCreate() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        _ = try FileBlockStore.create(at: dir.store, hash: .blake2b_256, options: testOptions())
        let reader = try FileBlockStore.open(at: dir.store, options: FileBlockStore.Options(readOnly: true))
        #expect(reader.hashFunction == .blake2b_256)
        #expect(throws: StoreError.alreadyExists(path: dir.store)) { try FileBlockStore.create(at: dir.store) }
    }

    @Test func newerFormatIsRefused() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        try FileBlockStore.create(at: dir.store, options: testOptions()).close()
        var header = StoreFiles.encodeHeader(hash: .sha2_256)
        header.storeLE(UInt32(2), at: 8)
        header.removeLast(4)
        header.appendLE(CRC32C.checksum(header))
        try Data(header).write(to: URL(fileURLWithPath: dir.store + "/HEADER"))
        #expect {
            try FileBlockStore.open(at: dir.store)
        } throws: { error in
            guard case StoreError.unsupportedFormat(_, let found) = error else { return false }
            return found.contains("version 2")
        }
    }

    @Test func secondWriterIsToldThePidOfTheFirst() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let first = try FileBlockStore.create(at: dir.store, options: testOptions())
        #expect(throws: StoreError.locked(path: dir.store, pid: getpid())) {
            try FileBlockStore.open(at: dir.store, options: testOptions())
        }
        _ = first
    }

    /// A writer that may wait gets the lock once the holder closes, and is told the holder's pid
    /// when the wait runs out first.
    @Test func writerWaitsForTheLockThenGetsItOrIsToldWhoHoldsIt() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let first = try FileBlockStore.create(at: dir.store, options: testOptions())
        var waiting = testOptions()
        waiting.lockWaitMilliseconds = 30
        #expect(throws: StoreError.locked(path: dir.store, pid: getpid())) {
            try FileBlockStore.open(at: dir.store, options: waiting)
        }
        let block = rawBlocks(1)[0]
        try first.commit(blocks: [block], refUpdates: [.move("refs/heads/main", from: nil, to: block.cid)])
        // The holder closes while the second writer waits (the wait is far longer than the close).
        waiting.lockWaitMilliseconds = 600_000
        let closer = Thread { usleep(50_000); try? first.close() }
        closer.start()
        let second = try FileBlockStore.open(at: dir.store, options: waiting)
        #expect(try second.refs.resolve("refs/heads/main") == block.cid)
        try second.close()
    }

    /// `LOCK` deleted (or replaced) under a running writer: the directory's lock still keeps a
    /// second writer out, and once the first closes the next writer gets in.
    @Test func removingTheLockFileDoesNotLetASecondWriterIn() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let first = try FileBlockStore.create(at: dir.store, options: testOptions())
        let lockPath = StoreFiles.lock(dir.store)
        try FileManager.default.removeItem(atPath: lockPath)
        #expect(throws: StoreError.locked(path: dir.store, pid: nil)) {
            try FileBlockStore.open(at: dir.store, options: testOptions())
        }
        // A stranger's file in its place changes nothing either.
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: lockPath))
        #expect(throws: StoreError.locked(path: dir.store, pid: 1)) {
            try FileBlockStore.open(at: dir.store, options: testOptions())
        }
        let block = rawBlocks(1)[0]
        try first.commit(blocks: [block], refUpdates: [.move("refs/heads/main", from: nil, to: block.cid)])
        try first.close()
        let second = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try second.refs.resolve("refs/heads/main") == block.cid)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: lockPath)), as: UTF8.self) == "\(getpid())\n")
        try second.close()
    }

    @Test func readersSeeCommitsAfterRefreshAndCannotWrite() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let writer = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 4096))
        let reader = try FileBlockStore.open(at: dir.store, options: FileBlockStore.Options(readOnly: true))
        let blocks = rawBlocks(40, size: 300)
        try writer.commit(blocks: Array(blocks[0..<20]), refUpdates: [.move("refs/heads/main", from: nil, to: blocks[0].cid)])
        #expect(try reader.get(blocks[0].cid) == nil)
        try reader.refresh()
        #expect(try reader.get(blocks[0].cid) == blocks[0].bytes)
        #expect(try reader.refs.resolve("HEAD") == blocks[0].cid)
        try writer.commit(blocks: Array(blocks[20...]))
        try writer.compact()
        try reader.refresh()
        for b in blocks { #expect(try reader.get(b.cid) == b.bytes) }
        #expect(throws: StoreError.readOnly) { try reader.put(blocks[0]) }
    }
}
