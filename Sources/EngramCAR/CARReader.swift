import EngramIPLD
import EngramStore

/// Reads a CAR archive (CARv1, or the CARv1 payload of a CARv2) from a byte source, one
/// verified block at a time, never holding more than one section and one read in memory.
///
/// ```swift
/// var reader = try CARReader(CARFile.open(reading: path))
/// print(reader.header.roots)
/// while let block = try reader.next() { try store.put(block) }
/// ```
///
/// Every block's bytes are hashed and checked against its CID before ``next()`` returns it;
/// an archive that breaks the format or ``CARLimits`` throws a ``CARError`` naming the byte
/// offset. Errors from the source itself are rethrown unchanged.
public struct CARReader<Source: CARByteSource> {
    /// The archive's header (the payload's, for a CARv2).
    public let header: CARHeader
    /// The byte source, as far as the reader has consumed it.
    public private(set) var source: Source
    private var decoder: CARDecoder
    private var sourceEnded = false
    private let readSize: Int

    /// Reads the header from `source`, enforcing `limits` on it and on every section after;
    /// `readSize` is how many bytes to ask the source for at a time.
    public init(_ source: Source, limits: CARLimits = .default, readSize: Int = 1 << 16) throws {
        self.source = source
        self.decoder = CARDecoder(limits: limits)
        self.readSize = max(1, readSize)
        // The decoder yields the header before anything else, or throws.
        guard case .header(let header) = try Self.step(&self.source, &decoder, &sourceEnded, readSize: self.readSize) else {
            throw CARError.invalidHeader(reason: "no header")
        }
        self.header = header
    }

    /// The header's roots.
    public var roots: [CID] { header.roots }

    /// How many bytes of the archive have been consumed.
    public var offset: Int { decoder.offset }

    /// The next block, verified against its CID, or nil at the archive's clean end.
    public mutating func next() throws -> Block? {
        switch try Self.step(&source, &decoder, &sourceEnded, readSize: readSize) {
        case .block(let block): return block
        case .end: return nil
        case .header, .needMore: throw CARError.invalidHeader(reason: "a second header")  // the decoder yields one
        }
    }

    /// Pulls from the source until the decoder yields something other than `needMore`.
    private static func step(
        _ source: inout Source, _ decoder: inout CARDecoder, _ sourceEnded: inout Bool, readSize: Int
    ) throws -> CARDecoder.Step {
        while true {
            let step = try decoder.next(atEnd: sourceEnded)
            guard step == .needMore else { return step }
            let chunk = try source.read(max: readSize)
            if chunk.isEmpty { sourceEnded = true } else { decoder.append(chunk) }
        }
    }
}

extension CARReader {
    /// Every remaining block, in archive order (for small archives and tests).
    public mutating func readAll() throws -> [Block] {
        var blocks: [Block] = []
        while let block = try next() { blocks.append(block) }
        return blocks
    }
}

extension CARReader where Source == CARBytesSource {
    /// Reads an archive held in memory.
    public init(bytes: [UInt8], limits: CARLimits = .default) throws {
        try self.init(CARBytesSource(bytes), limits: limits)
    }
}

extension CARReader where Source == CARFile {
    /// Opens and reads the archive at `path`.
    public init(path: String, limits: CARLimits = .default) throws {
        try self.init(CARFile.open(reading: path), limits: limits)
    }
}
