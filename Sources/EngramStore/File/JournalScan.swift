import EngramIPLD

/// One pass over a journal segment's bytes: applies its commit records to the refs, indexes the
/// blocks each commit record commits, and notes where the valid records end and why.
///
/// The scan never decides what is damage: the loader does, knowing which bytes were durable.
struct JournalScan {
    /// The end of the last complete commit record (0 when the header itself is invalid).
    private(set) var committedEnd = 0
    /// The offset of the first invalid record (the file's length when every record is valid).
    private(set) var validEnd = 0
    /// Why the record at `validEnd` is invalid, when one is.
    private(set) var stopReason: String? = nil
    /// Whether the 16-byte segment header is missing or wrong.
    private(set) var headerDamaged = false
    let path: String
    let length: Int

    /// Scans `bytes`, the whole of segment `segment`. Throws `StoreError.damaged(path:offset:reason:)`
    /// for a valid record that no crash can produce: a commit record that does not parse or whose
    /// sequence does not follow the previous commit's (commits are missing before it).
    init(bytes: [UInt8], segment: UInt64, path: String, refs: inout RefState, index: inout JournalIndex) throws(StoreError) {
        self.path = path
        self.length = bytes.count
        let headerLength = StoreFiles.segmentHeaderLength
        guard bytes.count >= headerLength, Array(bytes[0..<headerLength]) == StoreFiles.segmentHeader(segment) else {
            headerDamaged = true
            stopReason = bytes.count < headerLength ? "the segment header is incomplete" : "the segment header is not segment \(StoreFiles.hex16(segment))'s"
            return
        }
        let result = bytes.withUnsafeBytes { buf in
            Result { () throws(StoreError) -> (Int, Int, String?) in
                try Self.records(buf, path: path, refs: &refs, index: &index)
            }
        }
        (committedEnd, validEnd, stopReason) = try result.get()
    }

    private static func records(_ buf: UnsafeRawBufferPointer, path: String, refs: inout RefState,
                                index: inout JournalIndex) throws(StoreError) -> (Int, Int, String?) {
        var offset = StoreFiles.segmentHeaderLength
        var end = offset
        var group: [JournalEntry] = []
        while offset < buf.count {
            let frame: Record.Frame
            do { frame = try Record.read(buf, at: offset) } catch {
                switch error {
                case .truncated: return (end, offset, "a record runs past the end of the file")
                case .damaged(let why): return (end, offset, why)
                }
            }
            if frame.kind == Record.Kind.block.rawValue {
                guard let cid = try? BlockRecord.cid(buf, body: frame.body) else { return (end, offset, "a block record's CID does not parse") }
                group.append(JournalEntry(key: cid.indexKey, offset: offset, length: frame.length))
            } else if frame.kind == Record.Kind.commit.rawValue {
                let commit: CommitRecord
                do throws(ByteReader.Failure) { commit = try CommitRecord.decode(buf, body: frame.body) } catch {
                    throw .damaged(path: path, offset: offset, reason: "commit record: \(error.reason)")
                }
                guard commit.sequence == refs.sequence &+ 1 else {
                    throw .damaged(path: path, offset: offset,
                                   reason: "commit sequence \(commit.sequence) follows \(refs.sequence): commits are missing")
                }
                refs.apply(commit)
                for e in group { index.insert(key: e.key, offset: e.offset, length: e.length) }
                group.removeAll(keepingCapacity: true)
                end = offset + frame.length
            } else {
                return (end, offset, "unknown record kind \(frame.kind)")
            }
            offset += frame.length
        }
        return (end, offset, nil)
    }

    /// The damage this scan shows when every byte before `durable` had reached the disk, or nil.
    func damage(durable: Int) -> StoreError? {
        if headerDamaged {
            return .damaged(path: path, offset: 0, reason: stopReason ?? "bad segment header")
        }
        guard validEnd < durable else { return nil }
        if validEnd == length {
            return .damaged(path: path, offset: length, reason: "the file ends at byte \(length), but \(durable) bytes of it were durable")
        }
        return .damaged(path: path, offset: validEnd, reason: "invalid record before the durable mark at byte \(durable): \(stopReason ?? "invalid")")
    }
}
