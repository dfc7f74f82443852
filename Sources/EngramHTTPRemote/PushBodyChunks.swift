import EngramHTTPWire
import NIOCore

/// A push body as the HTTP client sends it: the framed request, then the archive's chunks,
/// produced as the connection takes them.
struct PushBodyChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: [UInt8]
    let archive: CARChunks

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(prefix: prefix, archive: archive.makeAsyncIterator()) }

    struct AsyncIterator: AsyncIteratorProtocol {
        var prefix: [UInt8]?
        var archive: CARChunks.AsyncIterator

        mutating func next() async throws -> ByteBuffer? {
            if let bytes = prefix {
                prefix = nil
                return ByteBuffer(bytes: bytes)
            }
            return try await archive.next().map { ByteBuffer(bytes: $0) }
        }
    }
}
