import EngramIPLD

/// The valid records in bytes that may be damaged (a journal segment or a pack), for
/// ``FileBlockStore/repair(at:options:)``.
///
/// Records are read in order from `start`. After bytes that are not a valid record (a bad CRC,
/// an impossible length, a torn end) the scan resynchronises: it searches forward, byte by byte,
/// for the next offset where a whole, CRC-valid block or commit record starts, and counts the
/// bytes it skipped as one dropped record. A well-framed block record is kept only when its
/// bytes decode and hash to its CID (blocks whose hash function Engram cannot compute are kept,
/// as `fsck` does); a well-framed commit record only when it parses. Sequence numbers of commit
/// records are not checked here: the caller renumbers the commits it keeps.
struct RecordSalvage {
    /// A verified block record: its CID and its framed bytes' range in the scanned buffer.
    struct BlockRecordRange {
        var cid: CID
        var record: Range<Int>
    }

    private(set) var blocks: [BlockRecordRange] = []
    private(set) var commits: [CommitRecord] = []
    /// Records dropped: well-framed ones that failed verification, and runs of invalid bytes.
    private(set) var recordsDropped = 0
    /// Bytes that are in no kept record.
    private(set) var bytesDropped = 0
    /// Bytes of the kept records: with ``bytesDropped``, every byte scanned, each once.
    private(set) var bytesKept = 0
    /// The offset of the first dropped byte, and why it was dropped.
    private(set) var firstDamage: (offset: Int, reason: String)? = nil

    var recordsKept: Int { blocks.count + commits.count }
    var isIntact: Bool { firstDamage == nil }

    /// Scans `buffer` from `start`; commit records are accepted only when `commitsAllowed`
    /// (journal segments, not packs).
    init(_ buffer: UnsafeRawBufferPointer, from start: Int, commitsAllowed: Bool) {
        var offset = min(start, buffer.count)
        var skipping: Int? = nil  // where the current run of invalid bytes began
        while offset < buffer.count {
            switch classify(buffer, at: offset, commitsAllowed: commitsAllowed) {
            case .invalid(let why):
                if skipping == nil {
                    skipping = offset
                    noteDamage(at: offset, why)
                }
                offset += 1
            case .dropped(let length, let why):
                endSkip(&skipping, at: offset)
                noteDamage(at: offset, why)
                recordsDropped += 1
                bytesDropped += length
                offset += length
            case .block(let cid, let length):
                endSkip(&skipping, at: offset)
                blocks.append(BlockRecordRange(cid: cid, record: offset..<offset + length))
                bytesKept += length
                offset += length
            case .commit(let commit, let length):
                endSkip(&skipping, at: offset)
                commits.append(commit)
                bytesKept += length
                offset += length
            }
        }
        endSkip(&skipping, at: buffer.count)
    }

    private mutating func noteDamage(at offset: Int, _ why: String) {
        if firstDamage == nil { firstDamage = (offset, why) }
    }

    private mutating func endSkip(_ skipping: inout Int?, at offset: Int) {
        guard let from = skipping else { return }
        recordsDropped += 1
        bytesDropped += offset - from
        skipping = nil
    }

    private enum Found {
        /// No valid record starts here.
        case invalid(String)
        /// A CRC-valid record that fails verification: skipped whole.
        case dropped(length: Int, String)
        case block(CID, length: Int)
        case commit(CommitRecord, length: Int)
    }

    private func classify(_ buffer: UnsafeRawBufferPointer, at offset: Int, commitsAllowed: Bool) -> Found {
        let frame: Record.Frame
        do throws(Record.Invalid) { frame = try Record.read(buffer, at: offset) } catch {
            switch error {
            case .truncated: return .invalid("a record runs past the end of the file")
            case .damaged(let why): return .invalid(why)
            }
        }
        switch frame.kind {
        case Record.Kind.block.rawValue:
            // A frame whose CID does not parse is not taken as a resynchronisation point.
            guard (try? BlockRecord.cid(buffer, body: frame.body)) != nil else { return .invalid("a block record's CID does not parse") }
            let cid: CID, bytes: [UInt8]
            do throws(ByteReader.Failure) { (cid, bytes) = try BlockRecord.decode(buffer, body: frame.body) } catch {
                return .dropped(length: frame.length, "block record: \(error.reason)")
            }
            if let function = HashFunction(code: cid.multihash.code), function.digest(bytes) != cid.multihash.digest {
                return .dropped(length: frame.length, "block \(cid): bytes do not hash to the CID")
            }
            return .block(cid, length: frame.length)
        case Record.Kind.commit.rawValue where commitsAllowed:
            do throws(ByteReader.Failure) {
                return .commit(try CommitRecord.decode(buffer, body: frame.body), length: frame.length)
            } catch {
                return .dropped(length: frame.length, "commit record: \(error.reason)")
            }
        default:
            return .invalid("unexpected record kind \(frame.kind)")
        }
    }
}
