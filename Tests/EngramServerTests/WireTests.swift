import EngramCAR
import EngramHTTPWire
import EngramIPLD
import EngramStorage
import EngramSync
import Testing

/// The CAR stream adapters both ends of the HTTP binding share.
struct WireTests {
    static func blocks(_ count: Int) throws -> [Block] {
        try (0..<count).map { i in
            try Block(encoding: .map(IPLDMap(uniqueKeysWithValues: [
                ("n", .int(Int64(i))), ("text", .string(ServerSupport.names[i % 5] + String(repeating: "x", count: i * 37 % 500))),
            ])))
        }
    }

    static func stream(_ blocks: [Block], failingAfter cut: Int? = nil) -> BlockStream {
        BlockStream { continuation in
            for (i, block) in blocks.enumerated() {
                if i == cut {
                    continuation.finish(throwing: SyncError.transport("the sender died"))
                    return
                }
                continuation.yield(block)
            }
            continuation.finish()
        }
    }

    @Test(arguments: [1, 100, 64 << 10])
    func chunksReadBackAsTheBlocks(chunkSize: Int) async throws {
        let blocks = try Self.blocks(60)
        let roots = [blocks[0].cid, blocks[1].cid]
        var chunks: [[UInt8]] = []
        for try await chunk in CARChunks(roots: roots, blocks: Self.stream(blocks), chunkSize: chunkSize) { chunks.append(chunk) }
        #expect(chunks.count >= (chunkSize == 1 ? blocks.count : 1))
        // An independent read of the bytes: the synchronous CAR reader.
        var reader = try CARReader(bytes: chunks.flatMap { $0 })
        #expect(reader.roots == roots)
        #expect(try reader.readAll() == blocks)
        // And the streaming reader over the same chunks.
        var read: [Block] = []
        for try await block in CARBlocks.stream(reading: AsyncChunks(chunks), roots: roots.reversed(), chunkError: { .transport("\($0)") }) {
            read.append(block)
        }
        #expect(read == blocks)
    }

    @Test(arguments: [0, 1, 33])
    func aFailingStreamStillHandsOnTheSectionsBeforeIt(cut: Int) async throws {
        let blocks = try Self.blocks(40)
        var bytes: [UInt8] = []
        var failure: (any Error)?
        do {
            for try await chunk in CARChunks(roots: [blocks[0].cid], blocks: Self.stream(blocks, failingAfter: cut)) {
                bytes += chunk
            }
        } catch {
            failure = error
        }
        #expect(failure as? SyncError == .transport("the sender died"))
        var reader = try CARReader(bytes: bytes)
        #expect(try reader.readAll() == Array(blocks.prefix(cut)))
    }

    @Test func blocksThatDoNotMatchTheRootsOrTheirCIDsAreRefused() async throws {
        let blocks = try Self.blocks(3)
        let archive = try CARWriter.archive(roots: [blocks[0].cid], blocks: blocks)
        await #expect(throws: SyncError.self) {
            for try await _ in CARBlocks.stream(reading: AsyncChunks([archive]), roots: [blocks[1].cid], chunkError: { .transport("\($0)") }) {}
        }
        var tampered = archive
        tampered[tampered.count - 2] ^= 0x20
        var received: [Block] = []
        do {
            for try await block in CARBlocks.stream(reading: AsyncChunks([tampered]), roots: [blocks[0].cid], chunkError: { .transport("\($0)") }) {
                received.append(block)
            }
            Issue.record("a tampered block was accepted")
        } catch {
            #expect(error as? SyncError == .hashMismatch(blocks[2].cid))
        }
        #expect(received == Array(blocks.prefix(2)))
    }
}

/// Byte chunks as an async sequence, as a body arrives.
struct AsyncChunks: AsyncSequence {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]

    init(_ chunks: [[UInt8]]) { self.chunks = chunks }

    func makeAsyncIterator() -> IndexingIterator<[[UInt8]]>.AsyncAdapter { .init(chunks.makeIterator()) }
}

extension IndexingIterator {
    /// A synchronous iterator behind the async protocol.
    struct AsyncAdapter: AsyncIteratorProtocol {
        var base: IndexingIterator<Elements>

        init(_ base: IndexingIterator<Elements>) { self.base = base }

        mutating func next() async -> Element? { base.next() }
    }
}
