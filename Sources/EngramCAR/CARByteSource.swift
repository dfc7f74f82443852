/// Where a ``CARReader`` pulls bytes from.
public protocol CARByteSource {
    /// Up to `max` more bytes; an empty array means the source has ended. Errors it throws
    /// reach the reader's caller unchanged.
    mutating func read(max: Int) throws -> [UInt8]
}

/// A byte source over an array already in memory.
public struct CARBytesSource: CARByteSource {
    private let bytes: [UInt8]
    private var position = 0

    /// A source that yields `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next at most `max` bytes; empty at the end.
    public mutating func read(max: Int) throws -> [UInt8] {
        let end = position + Swift.min(Swift.max(max, 0), bytes.count - position)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}
