/// A node's bytes and offset table borrowed as raw pointers, for loops over many entries
/// (searches, chunking, copying runs) without array bounds checks or reference counting.
/// The layout is ``ProllyNode/offsets``'s.
@usableFromInline
struct NodeView {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline let offsets: UnsafeBufferPointer<UInt32>
    /// The number of entries.
    @usableFromInline let count: Int
    @usableFromInline let isLeaf: Bool

    @inlinable
    init(bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<UInt32>, count: Int, isLeaf: Bool) {
        self.bytes = bytes
        self.offsets = offsets
        self.count = count
        self.isLeaf = isLeaf
    }

    /// Key `i`.
    @inlinable
    func key(_ i: Int) -> UnsafeRawBufferPointer {
        let start = Int(offsets[2 * i])
        return UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: Int(offsets[2 * i + 1]) - start)
    }

    /// Where the payload item (value or child link) of entry `i` starts; the items of a run are
    /// contiguous, so entry `i`'s ends where `i + 1`'s starts.
    @inlinable
    func payloadStart(_ i: Int) -> Int { Int(offsets[2 * count + i]) }

    /// Where the count item of branch entry `i` starts (as ``payloadStart(_:)``).
    @inlinable
    func countStart(_ i: Int) -> Int { Int(offsets[3 * count + 1 + i]) }

    /// The chunking width of entry `i`.
    @inlinable
    func width(_ i: Int) -> Int {
        let keyLength = Int(offsets[2 * i + 1] &- offsets[2 * i])
        let item = payloadStart(i + 1) - payloadStart(i)
        // A leaf counts the value's whole item; a branch the CID inside its link item
        // (`d8 2a`, a byte-string header, `00`, the CID).
        return isLeaf ? keyLength + item : keyLength + item - 3 - cborHeaderLength(initial: bytes[payloadStart(i) + 2])
    }

    /// The chunking widths of entries `range`, summed.
    @inlinable
    func width(of range: Range<Int>) -> Int {
        var total = payloadStart(range.upperBound) - payloadStart(range.lowerBound)
        for i in range {
            total += Int(offsets[2 * i + 1] &- offsets[2 * i])
            if !isLeaf { total -= 3 + cborHeaderLength(initial: bytes[payloadStart(i) + 2]) }
        }
        return total
    }

    /// The entries under branch child `i`: the argument of its count item.
    @inlinable
    func childEntryCount(_ i: Int) -> UInt64 {
        let at = countStart(i)
        let initial = bytes[at]
        guard initial & 0x1f >= 24 else { return UInt64(initial & 0x1f) }
        var value: UInt64 = 0
        for k in 1..<cborHeaderLength(initial: initial) { value = value << 8 | UInt64(bytes[at + k]) }
        return value
    }

    /// The index of the first key not less than `key` (``count`` if none).
    @inlinable
    func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) >> 1
            if KeyOrder.compare(self.key(mid), key) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension ProllyNode {
    /// Runs `body` with a view of the node's bytes and offsets.
    @inlinable
    func withView<R>(_ body: (NodeView) -> R) -> R {
        bytes.withUnsafeBytes { b in
            offsets.withUnsafeBufferPointer { o in body(NodeView(bytes: b, offsets: o, count: count, isLeaf: level == 0)) }
        }
    }
}
