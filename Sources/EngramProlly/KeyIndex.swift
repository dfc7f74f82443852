/// A node's keys laid end to end in one buffer, so a binary search touches no reference counts
/// (searching `[[UInt8]]` retains and releases every key it compares).
@usableFromInline
struct KeyIndex: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// `ends[i]` is where key `i` ends (a node is at most 64 KiB, so 32 bits suffice) in ``bytes``; it starts where key `i - 1` ends.
    @usableFromInline let ends: [UInt32]

    init(_ keys: [[UInt8]]) {
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        bytes.reserveCapacity(keys.reduce(0) { $0 + $1.count })
        ends.reserveCapacity(keys.count)
        for key in keys {
            bytes.append(contentsOf: key)
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// The index of the first key not less than `key` (the key count if none).
    @inlinable
    func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
        bytes.withUnsafeBytes { b in
            ends.withUnsafeBufferPointer { e in
                var low = 0
                var high = e.count
                while low < high {
                    let mid = (low + high) >> 1
                    let start = mid == 0 ? 0 : Int(e[mid - 1])
                    let candidate = UnsafeRawBufferPointer(rebasing: b[start..<Int(e[mid])])
                    if KeyOrder.compare(candidate, key) < 0 { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
    }

    /// Whether key `i` equals `key`.
    @inlinable
    func equals(_ i: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes { b in
            ends.withUnsafeBufferPointer { e in
                let start = i == 0 ? 0 : Int(e[i - 1])
                return KeyOrder.compare(UnsafeRawBufferPointer(rebasing: b[start..<Int(e[i])]), key) == 0
            }
        }
    }
}
