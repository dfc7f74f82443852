import EngramCAR
import EngramIPLD
import EngramStorage
import EngramSync

/// A CARv1 archive arriving in byte chunks (an HTTP body) as a block stream: each block is
/// verified against its CID as it is parsed, and the archive's roots must be the ones the
/// exchange names (the wants of a fetch, the targets of a push).
public enum CARBlocks {
    /// The blocks of the archive in `chunks`. Errors reach the consumer as ``SyncError``s: CAR
    /// errors by their meaning (``SyncError/hashMismatch(_:)``, ``SyncError/blockTooLarge(_:size:limit:)``,
    /// else ``SyncError/archive(_:)``), errors of `chunks` itself through `chunkError`.
    public static func stream<Chunks: AsyncSequence>(
        reading chunks: Chunks, roots: [CID], limits: CARLimits = .default,
        chunkError: @escaping @Sendable (any Error) -> SyncError
    ) -> BlockStream where Chunks.Element: Sequence<UInt8> {
        let box = ReaderBox(AsyncCARReader(chunks, limits: limits), roots: roots, chunkError: chunkError)
        return BlockStream(unfolding: { try await box.next() })
    }

    /// What a CAR error means to the sync protocol.
    public static func syncError(_ error: CARError) -> SyncError {
        switch error {
        case .hashMismatch(let cid, _): .hashMismatch(cid)
        case .blockTooLarge(let cid, let length, let limit, _): .blockTooLarge(cid, size: length, limit: limit)
        default: .archive(error)
        }
    }

    /// Lets the stream's pulls reach the reader from whichever task consumes the stream.
    final class ReaderBox<Chunks: AsyncSequence>: @unchecked Sendable where Chunks.Element: Sequence<UInt8> {
        // A block stream has one consumer, which awaits each pull before the next: the
        // reader is never touched by two tasks at once.
        private var reader: AsyncCARReader<Chunks>
        private let roots: Set<CID>
        private let chunkError: @Sendable (any Error) -> SyncError
        private var checkedRoots = false

        init(_ reader: AsyncCARReader<Chunks>, roots: [CID], chunkError: @escaping @Sendable (any Error) -> SyncError) {
            self.reader = reader
            self.roots = Set(roots)
            self.chunkError = chunkError
        }

        func next() async throws(SyncError) -> Block? {
            do {
                if !checkedRoots {
                    let header = try await reader.readHeader()
                    guard Set(header.roots) == roots else {
                        throw SyncError.archive(.invalidHeader(reason: "the roots (" + header.roots.map(\.description).joined(separator: ", ")
                                                                   + ") are not the ones the exchange names"))
                    }
                    checkedRoots = true
                }
                return try await reader.next()
            } catch let error as SyncError {
                throw error
            } catch let error as CARError {
                throw CARBlocks.syncError(error)
            } catch {
                throw chunkError(error)
            }
        }
    }
}
