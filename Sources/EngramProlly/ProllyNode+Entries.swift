import EngramIPLD

extension ProllyNode {
    /// Leaf value `i`, decoded from the node's bytes.
    @inlinable
    public func value(at i: Int) -> ProllyValue {
        let item = valueItem(i)
        return bytes.withUnsafeBytes { b in
            var reader = DAGCBORReader(buffer: UnsafeRawBufferPointer(rebasing: b[item]))
            // The node was checked when it was decoded or encoded: its values read back.
            return try! ProllyValue.read(from: &reader)
        }
    }

    /// Whether leaf value `i` equals value `j` of leaf `other`: their encodings are canonical, so
    /// equal values have equal bytes (compared in place).
    @inlinable
    public func hasSameValue(at i: Int, as other: ProllyNode, at j: Int) -> Bool {
        let a = valueItem(i)
        let b = other.valueItem(j)
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBytes { x in
            other.bytes.withUnsafeBytes { y in
                KeyOrder.compare(UnsafeRawBufferPointer(rebasing: x[a]), UnsafeRawBufferPointer(rebasing: y[b])) == 0
            }
        }
    }

    /// Entry `i` of a leaf, copied out.
    @inlinable
    public func entry(at i: Int) -> ProllyEntry { ProllyEntry(key: key(at: i), value: value(at: i)) }

    /// Leaf keys, or for a branch the last key under each child, strictly increasing: every key
    /// copied out (``key(at:)`` or ``withKey(at:_:)`` read one).
    public var keys: [[UInt8]] { (0..<count).map { key(at: $0) } }

    /// Leaf values, decoded (empty for a branch; ``value(at:)`` reads one).
    public var values: [ProllyValue] { isLeaf ? (0..<count).map { value(at: $0) } : [] }
}
