import EngramIPLD

extension CID {
    /// The first 8 digest bytes as a big-endian integer: the key of the store's indexes.
    /// Keys may collide; the full CID in the record decides.
    @inlinable
    var indexKey: UInt64 {
        multihash.digest.withUnsafeBytes { d in
            var k: UInt64 = 0
            for i in 0..<8 { k = k << 8 | UInt64(i < d.count ? d[i] : 0) }
            return k
        }
    }
}

/// The in-memory index of one journal segment: a flat open-addressing table of 16-byte slots
/// (8-byte key; the record's offset and length packed in 8 bytes), load at most 1/2, so at most
/// 64 bytes per block right after a resize and 32 before. Duplicate keys are allowed; lookups
/// return every slot with the key and the caller checks the CID in the record.
struct JournalIndex: Sendable {
    /// Bits of a slot's location that hold the record length: a record is at most
    /// `Record.maxBody + Record.overhead` bytes, under 2^25.
    static let lengthBits = 25
    /// Offsets below 2^39 (512 GiB) fit: segments are read whole into memory at open and the
    /// writer refuses a commit over `JournalLimits.maxCommitBytes`, so no segment gets near it.
    static let maxOffset = (1 << (64 - lengthBits)) - 1

    struct Slot: Sendable {
        var key: UInt64
        /// `offset << lengthBits | length`.
        var location: UInt64

        var offset: Int { Int(location >> UInt64(JournalIndex.lengthBits)) }
        var length: Int { Int(location & ((1 << UInt64(JournalIndex.lengthBits)) - 1)) }
    }

    /// Whether a record at `offset` of `length` bytes can be held in a slot.
    static func canHold(offset: Int, length: Int) -> Bool {
        offset >= 0 && offset <= maxOffset && length >= 0 && length < 1 << lengthBits
    }

    private(set) var slots: [Slot]
    private(set) var count = 0

    init(capacity: Int = 64) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: Slot(key: 0, location: 0), count: n)
    }

    /// 0 marks an empty slot, so a real key of 0 is stored as 1.
    @inline(__always)
    private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// Adds a record's location. Both callers pass records of a segment in memory (the scan at
    /// open, a commit the writer just appended), which ``canHold(offset:length:)`` always accepts.
    mutating func insert(key: UInt64, offset: Int, length: Int) {
        precondition(Self.canHold(offset: offset, length: length), "journal record at \(offset) (\(length) bytes) beyond the index's range")
        if (count + 1) * 2 > slots.count { grow() }
        let k = Self.stored(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: k) & mask
        while slots[i].key != 0 { i = (i + 1) & mask }
        slots[i] = Slot(key: k, location: UInt64(offset) << UInt64(Self.lengthBits) | UInt64(length))
        count += 1
    }

    /// Every (offset, length) stored under `key`.
    func candidates(_ key: UInt64) -> [(offset: Int, length: Int)] {
        let k = Self.stored(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: k) & mask
        var out: [(Int, Int)] = []
        while slots[i].key != 0 {
            if slots[i].key == k { out.append((slots[i].offset, slots[i].length)) }
            i = (i + 1) & mask
        }
        return out
    }

    /// Bytes held by the table.
    var memoryBytes: Int { slots.count * MemoryLayout<Slot>.stride }

    /// Every entry, in table order.
    func forEach(_ body: (Slot) throws -> Void) rethrows {
        for s in slots where s.key != 0 { try body(s) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, location: 0), count: old.count * 2)
        count = 0
        let mask = slots.count - 1
        for s in old where s.key != 0 {
            var i = Int(truncatingIfNeeded: s.key) & mask
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = s
            count += 1
        }
    }
}
