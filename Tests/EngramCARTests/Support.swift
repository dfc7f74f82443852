import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Testing

/// Random blocks of every kind a CAR carries: DAG-CBOR values from ``RandomIPLD`` (non-ASCII,
/// NFC/NFD and NUL text included), raw bytes from empty to 64 KiB, sha2-256 and blake2b-256.
func randomBlocks(seed: UInt64, count: Int) -> [Block] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        let function: HashFunction = Bool.random(using: &rng) ? .sha2_256 : .blake2b_256
        if Int.random(in: 0..<3, using: &rng) == 0 {
            let length = [0, 1, 127, 128, 1000, 65536].randomElement(using: &rng) ?? 0
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            return Block(bytes: bytes, codec: .raw, function: function)
        }
        let value = RandomIPLD.value(&rng, depth: 4)
        // Random values always encode: RandomIPLD makes only valid data-model values.
        return Block(bytes: (try? DAGCBOR.encode(value)) ?? [], codec: .dagCBOR, function: function)
    }
}

/// An in-memory byte stream cut into chunks of the given sizes (cycled), as a network body arrives.
struct ChunkedBytes: AsyncSequence {
    typealias Element = [UInt8]
    let bytes: [UInt8]
    let sizes: [Int]

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let sizes: [Int]
        var position = 0
        var turn = 0

        mutating func next() async -> [UInt8]? {
            guard position < bytes.count else { return nil }
            let size = Swift.max(1, sizes[turn % sizes.count])
            turn += 1
            let end = Swift.min(bytes.count, position + size)
            defer { position = end }
            return Array(bytes[position..<end])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, sizes: sizes) }
}

/// Header and blocks of an in-memory archive through the synchronous reader.
func readArchive(_ bytes: [UInt8], limits: CARLimits = .default, readSize: Int = 1 << 16) throws -> (CARHeader, [Block]) {
    var reader = try CARReader(CARBytesSource(bytes), limits: limits, readSize: readSize)
    return (reader.header, try reader.readAll())
}

/// Header and blocks of an in-memory archive through the asynchronous reader, fed in chunks.
func readArchiveAsync(_ bytes: [UInt8], chunkSizes: [Int], limits: CARLimits = .default) async throws -> (CARHeader, [Block]) {
    var reader = AsyncCARReader(ChunkedBytes(bytes: bytes, sizes: chunkSizes), limits: limits)
    let header = try await reader.readHeader()
    var blocks: [Block] = []
    while let block = try await reader.next() { blocks.append(block) }
    return (header, blocks)
}

/// The error reading `bytes` throws, or nil when it reads cleanly.
func readError(_ bytes: [UInt8], limits: CARLimits = .default) -> CARError? {
    do {
        _ = try readArchive(bytes, limits: limits)
        return nil
    } catch let error as CARError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}
