import EngramIPLD
import EngramStore

/// Writes a CARv1 archive to a byte sink incrementally: the header at once, then each block
/// as it is given, in buffers of about ``bufferSize`` bytes. It never holds the archive, only
/// one buffer.
///
/// ```swift
/// let file = try CARFile.create(writing: path)
/// var writer = try CARWriter(roots: [head], sink: file.write)
/// for block in blocks { try writer.write(block) }
/// try writer.finish()
/// try file.close()
/// ```
///
/// Engram writes CARv1 only. Roots are written in the order given; blocks in the order
/// written (the sender chooses it). Blocks over ``CARLimits/maxBlockLength`` are refused, so
/// that a reader with the same limits accepts every archive written.
public struct CARWriter {
    /// Receives the archive's bytes in order, in chunks of about ``bufferSize`` bytes.
    public typealias Sink = ([UInt8]) throws -> Void

    /// How many bytes are gathered before the sink is called.
    public let bufferSize: Int
    private let limits: CARLimits
    private let sink: Sink
    private var buffer: [UInt8] = []
    /// Bytes handed to the sink or buffered so far, the header included.
    public private(set) var byteCount = 0
    /// Blocks written so far.
    public private(set) var blockCount = 0

    /// Starts an archive with `roots` (possibly none), buffering the header.
    /// - Throws: ``CARError/headerTooLarge(length:limit:)`` when the header would be longer than
    ///   ``CARLimits/maxHeaderLength`` or list more than ``CARLimits/maxRoots`` roots.
    public init(roots: [CID], limits: CARLimits = .default, bufferSize: Int = 1 << 20, sink: @escaping Sink) throws(CARError) {
        self.limits = limits
        self.bufferSize = max(1, bufferSize)
        self.sink = sink
        guard roots.count <= limits.maxRoots else {
            throw .invalidHeader(reason: "\(roots.count) roots, over the limit of \(limits.maxRoots)")
        }
        let header = try CARHeader(roots: roots).encoded()
        let bodyLength = header.count - Varint.encodedLength(UInt64(header.count))
        guard bodyLength <= limits.maxHeaderLength else {
            throw .headerTooLarge(length: UInt64(bodyLength), limit: limits.maxHeaderLength)
        }
        buffer.reserveCapacity(self.bufferSize)
        buffer.append(contentsOf: header)
        byteCount = header.count
    }

    /// A writer that appends sections to an archive whose header and earlier sections already
    /// hold `byteCount` bytes (a spill file reopened after a restart): no header is written.
    public init(continuingAt byteCount: Int, limits: CARLimits = .default, bufferSize: Int = 1 << 20,
                sink: @escaping Sink) {
        self.limits = limits
        self.bufferSize = max(1, bufferSize)
        self.sink = sink
        self.byteCount = byteCount
        buffer.reserveCapacity(self.bufferSize)
    }

    /// Appends one section: `varint(CID length + block length)`, the CID, the block's bytes.
    public mutating func write(_ block: Block) throws {
        guard block.bytes.count <= limits.maxBlockLength else {
            throw CARError.blockTooLarge(block.cid, length: block.bytes.count, limit: limits.maxBlockLength, offset: byteCount)
        }
        let sectionLength = block.cid.encodedLength + block.bytes.count
        let start = buffer.count
        // A varint of at most 2 MiB plus a CID always encodes.
        try Varint.write(UInt64(sectionLength), into: &buffer)
        block.cid.append(to: &buffer)
        buffer.append(contentsOf: block.bytes)
        byteCount += buffer.count - start
        blockCount += 1
        if buffer.count >= bufferSize { try flush() }
    }

    /// Hands everything buffered to the sink. The archive is complete after the last
    /// ``write(_:)`` and this call (a CARv1 has no trailer).
    public mutating func finish() throws {
        try flush()
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        try sink(chunk)
    }
}

extension CARWriter {
    /// A whole archive in memory (for small archives and tests).
    public static func archive(roots: [CID], blocks: some Sequence<Block>, limits: CARLimits = .default) throws -> [UInt8] {
        var out: [UInt8] = []
        var writer = try CARWriter(roots: roots, limits: limits) { out.append(contentsOf: $0) }
        for block in blocks { try writer.write(block) }
        try writer.finish()
        return out
    }

    /// Writes an archive to the file at `path` (created or truncated) and syncs it.
    public static func write(roots: [CID], blocks: some Sequence<Block>, toFile path: String, limits: CARLimits = .default) throws {
        let file = try CARFile.create(writing: path)
        var writer = try CARWriter(roots: roots, limits: limits, sink: file.write)
        for block in blocks { try writer.write(block) }
        try writer.finish()
        try file.sync()
        try file.close()
    }
}
