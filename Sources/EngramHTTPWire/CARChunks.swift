import EngramCAR
import EngramIPLD
import EngramStorage
import EngramSync

/// A block stream as a CARv1 archive, in byte chunks made as the consumer reads them: the
/// body of a fetch response and of a push. Only about one chunk is ever held, so an archive
/// of any size streams in flat memory.
///
/// An error of the block stream ends the sequence with that error, after the sections written
/// before it (the HTTP layer then cuts the body short, and the reader sees a truncated archive
/// holding every block sent until then).
public struct CARChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    public let roots: [CID]
    public let blocks: BlockStream
    /// Bytes gathered before a chunk is handed on.
    public let chunkSize: Int
    public let limits: CARLimits

    public init(roots: [CID], blocks: BlockStream, chunkSize: Int = 64 << 10, limits: CARLimits = .default) {
        self.roots = roots
        self.blocks = blocks
        self.chunkSize = chunkSize
        self.limits = limits
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(roots: roots, blocks: blocks.makeAsyncIterator(), chunkSize: chunkSize, limits: limits)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let roots: [CID]
        var blocks: BlockStream.AsyncIterator
        let chunkSize: Int
        let limits: CARLimits
        let pending = PendingChunks()
        var writer: CARWriter?
        var state = State.notStarted

        enum State { case notStarted, writing, failed(any Error), finished }

        init(roots: [CID], blocks: BlockStream.AsyncIterator, chunkSize: Int, limits: CARLimits) {
            self.roots = roots
            self.blocks = blocks
            self.chunkSize = chunkSize
            self.limits = limits
        }

        public mutating func next() async throws -> [UInt8]? {
            while true {
                if let chunk = pending.take() { return chunk }
                switch state {
                case .finished:
                    return nil
                case .failed(let error):
                    state = .finished
                    throw error
                case .notStarted:
                    let pending = self.pending
                    do {
                        writer = try CARWriter(roots: roots, limits: limits, bufferSize: chunkSize) { pending.chunks.append($0) }
                    } catch { throw CARBlocks.syncError(error) }
                    state = .writing
                case .writing:
                    do {
                        if let block = try await blocks.next() {
                            try writer?.write(block)
                        } else {
                            try writer?.finish()
                            writer = nil
                            state = .finished
                        }
                    } catch {
                        // Hand on the whole sections already written before the error, so a
                        // reader keeps every block that was sent (a cut fetch resumes after them).
                        try? writer?.finish()
                        writer = nil
                        state = .failed((error as? CARError).map(CARBlocks.syncError) ?? error)
                    }
                }
            }
        }
    }

    /// Where the writer's sink leaves chunks until the iterator hands them on.
    final class PendingChunks {
        var chunks: [[UInt8]] = []

        func take() -> [UInt8]? { chunks.isEmpty ? nil : chunks.removeFirst() }
    }
}
