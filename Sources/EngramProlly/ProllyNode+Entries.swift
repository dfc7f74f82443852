import EngramIPLD

extension ProllyNode {
    /// Leaf value `i`, decoded from the node's bytes.
    @inlinable
    public func value(at i: Int) -> ProllyValue {
        let item = payloadItem(i)
        switch bytes[item.lowerBound] {
        case 0xf6: return .null
        case 0xd8: return .link(child(at: i))
        // A byte string: its header, then the bytes.
        case let initial: return .bytes(Array(bytes[(item.lowerBound + cborHeaderLength(initial: initial))..<item.upperBound]))
        }
    }

    /// Runs `body` with leaf value `i`'s bytes borrowed from the node when it is a byte string
    /// (nil for `null` or a link): no copy, for scans that read many values.
    @inlinable
    public func withValueBytes<R>(at i: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        let item = payloadItem(i)
        let initial = bytes[item.lowerBound]
        guard initial >> 5 == 2 else { return body(nil) }
        let start = item.lowerBound + cborHeaderLength(initial: initial)
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<item.upperBound])) }
    }

    /// Branch child `i`'s CID (or leaf value `i`'s link), decoded from the node's bytes.
    @inlinable
    public func child(at i: Int) -> CID {
        let item = payloadItem(i)
        return bytes.withUnsafeBytes { Self.link(in: UnsafeRawBufferPointer(rebasing: $0[item])) }
    }

    /// The CID of a link item (`d8 2a`, a byte-string header, `00`, the binary CID) that the
    /// node format has been checked to hold.
    @inlinable
    static func link(in item: UnsafeRawBufferPointer) -> CID {
        let start = 3 + cborHeaderLength(initial: item[2])
        // The usual CIDv1, every varint one byte (dag-cbor, sha2-256, 32-byte digest): read in
        // place; anything else through the general parser.
        if item.count - start >= 4, item[start] == 1, item[start + 1] < 0x80, item[start + 2] < 0x80,
           item[start + 3] < 0x80, Int(item[start + 3]) == item.count - start - 4 {
            return CID(codec: Multicodec(UInt64(item[start + 1])),
                       multihash: Multihash(code: Multicodec(UInt64(item[start + 2])),
                                            digest: Digest(UnsafeRawBufferPointer(rebasing: item[(start + 4)...]))))
        }
        var offset = start
        // Checked when the node was decoded, or written by the encoder: it reads back.
        return try! CID.read(from: item, at: &offset)
    }

    /// The number of entries under branch child `i`.
    @inlinable
    public func childEntryCount(at i: Int) -> UInt64 {
        withView { $0.childEntryCount(i) }
    }

    /// Entry `i` of a leaf, copied out.
    @inlinable
    public func entry(at i: Int) -> ProllyEntry { ProllyEntry(key: key(at: i), value: value(at: i)) }

    /// Leaf keys, or for a branch the last key under each child, strictly increasing: every key
    /// copied out (``key(at:)`` or ``withKey(at:_:)`` read one).
    public var keys: [[UInt8]] { (0..<count).map { key(at: $0) } }

    /// Leaf values, decoded (empty for a branch; ``value(at:)`` reads one).
    public var values: [ProllyValue] { isLeaf ? (0..<count).map { value(at: $0) } : [] }

    /// Branch children, decoded (empty for a leaf; ``child(at:)`` reads one).
    public var children: [CID] { isLeaf ? [] : (0..<count).map { child(at: $0) } }

    /// Entries under each branch child (empty for a leaf; ``childEntryCount(at:)`` reads one).
    public var counts: [UInt64] { isLeaf ? [] : (0..<count).map { childEntryCount(at: $0) } }
}
