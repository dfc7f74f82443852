import EngramStore

/// Reads a CAR archive from an asynchronous sequence of byte chunks (an HTTP body, say), one
/// verified block at a time. It behaves as ``CARReader``: the same checks, limits and errors;
/// errors from the chunk sequence are rethrown unchanged.
///
/// ```swift
/// var reader = AsyncCARReader(body)
/// let header = try await reader.readHeader()
/// while let block = try await reader.next() { try store.put(block) }
/// ```
public struct AsyncCARReader<Chunks: AsyncSequence> where Chunks.Element: Sequence<UInt8> {
    private var chunks: Chunks.AsyncIterator
    private var decoder: CARDecoder
    private var sourceEnded = false
    /// The header, once ``readHeader()`` (or the first ``next()``) has read it.
    public private(set) var header: CARHeader?

    /// A reader over `chunks`; nothing is read until ``readHeader()`` or ``next()``.
    public init(_ chunks: Chunks, limits: CARLimits = .default) {
        self.chunks = chunks.makeAsyncIterator()
        self.decoder = CARDecoder(limits: limits)
    }

    /// How many bytes of the archive have been consumed.
    public var offset: Int { decoder.offset }

    /// Reads the header if it has not been read yet, and returns it.
    public mutating func readHeader() async throws -> CARHeader {
        if let header { return header }
        switch try await step() {
        case .header(let found):
            header = found
            return found
        case .block, .end, .needMore: throw CARError.invalidHeader(reason: "no header")  // unreachable: the header comes first
        }
    }

    /// The next block, verified against its CID, or nil at the archive's clean end.
    public mutating func next() async throws -> Block? {
        _ = try await readHeader()
        switch try await step() {
        case .block(let block): return block
        case .end: return nil
        case .header, .needMore: throw CARError.invalidHeader(reason: "a second header")  // the decoder yields one
        }
    }

    private mutating func step() async throws -> CARDecoder.Step {
        while true {
            let step = try decoder.next(atEnd: sourceEnded)
            guard step == .needMore else { return step }
            if let chunk = try await chunks.next() {
                decoder.append(chunk)
            } else {
                sourceEnded = true
            }
        }
    }
}
