/// Bytewise order of keys, the order of every Prolly tree.
public enum KeyOrder {
    /// -1, 0 or 1 as `a` sorts before, equal to or after `b` (a proper prefix sorts first).
    @inlinable
    public static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        // Eight bytes at a time: big-endian words compare like their bytes.
        while i + 8 <= n {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < n {
            let x = a[i], y = b[i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` (bytewise, a prefix first).
    @inlinable
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in compare(x, y) } }
    }

    /// Whether `a` sorts before `b`.
    @inlinable
    public static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { compare(a, b) < 0 }

    /// The smallest key greater than every key starting with `prefix`, or nil when there is none
    /// (the prefix is empty or all `ff`).
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }

    /// The positions of `items` in key order, keeping only the last of each repeated key
    /// ("last wins", as batches and `tree build` input mean it).
    public static func lastWinsOrder<T>(_ items: [T], key: (T) -> [UInt8]) -> [Int] {
        let order = items.indices.sorted { a, b in
            let c = compare(key(items[a]), key(items[b]))
            return c < 0 || (c == 0 && a < b)
        }
        var out: [Int] = []
        out.reserveCapacity(order.count)
        for i in order {
            if let last = out.last, key(items[last]) == key(items[i]) { out[out.count - 1] = i } else { out.append(i) }
        }
        return out
    }
}
