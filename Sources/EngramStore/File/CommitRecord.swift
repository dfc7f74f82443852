import EngramIPLD

/// The body of a commit record, the commit point of everything written before it:
/// `sequence u64 | time i64 (µs) | message (u32 length + UTF-8) | count u16 | count × (name
/// (u16 length + UTF-8) | old ref value | new ref value)`.
struct CommitRecord: Hashable, Sendable {
    var sequence: UInt64
    var time: Int64
    var message: String
    var updates: [(name: String, old: RefValue?, new: RefValue?)]

    static func == (a: Self, b: Self) -> Bool {
        a.sequence == b.sequence && a.time == b.time && a.message == b.message
            && a.updates.elementsEqual(b.updates) { $0 == $1 }
    }
    func hash(into h: inout Hasher) { h.combine(sequence) }

    /// Appends the framed record, or throws `StoreError.commitTooLarge(reason:)` leaving `out`
    /// unchanged when a reader could not read it back (`JournalLimits.checkCommitRecord(bodyLength:updates:)`).
    func append(to out: inout [UInt8]) throws(StoreError) {
        // Names are written with a u16 length: a longer one (only a symbolic target can be, ref
        // names are validated) would be cut and read back as garbage.
        for u in updates {
            for case .symbolic(let target)? in [u.old, u.new] where target.utf8.count > Int(UInt16.max) {
                throw .invalidRefName(target)
            }
        }
        var body: [UInt8] = []
        body.appendLE(sequence)
        body.appendLE(time)
        let m = Array(message.utf8)
        body.appendLE(UInt32(truncatingIfNeeded: m.count))
        body.append(contentsOf: m)
        body.appendLE(UInt16(truncatingIfNeeded: updates.count))
        for u in updates {
            body.appendShortString(u.name)
            body.appendRefValue(u.old)
            body.appendRefValue(u.new)
        }
        // Checked before framing: the truncating conversions above only matter for a body
        // that this refuses (over 16 MiB, or more than 65,535 updates).
        try JournalLimits.checkCommitRecord(bodyLength: body.count, updates: updates.count)
        Record.append(kind: .commit, to: &out) { $0.append(contentsOf: body) }
    }

    static func decode(_ buffer: UnsafeRawBufferPointer, body: Range<Int>) throws(ByteReader.Failure) -> CommitRecord {
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<body.upperBound]), offset: body.lowerBound)
        let sequence = try r.read(UInt64.self)
        let time = try r.read(Int64.self)
        let mLength = Int(try r.read(UInt32.self))
        let m = try r.bytes(mLength)
        guard let message = String(validating: m, as: UTF8.self) else { throw .init(offset: r.offset, reason: "invalid UTF-8 message") }
        let count = Int(try r.read(UInt16.self))
        var updates: [(name: String, old: RefValue?, new: RefValue?)] = []
        for _ in 0..<count {
            let name = try r.shortString()
            updates.append((name, try r.refValue(), try r.refValue()))
        }
        guard r.remaining == 0 else { throw .init(offset: r.offset, reason: "trailing bytes in commit record") }
        return CommitRecord(sequence: sequence, time: time, message: message, updates: updates)
    }
}
