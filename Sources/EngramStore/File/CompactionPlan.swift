import EngramIPLD

/// What compaction does with each committed block record of a sealed segment: copy it into the
/// pack as it is, or, for a raw record of a commit that deferred compression (4.3 of SPEC.md),
/// compress it now.
///
/// Only records of commits under the deferral threshold are retried: a raw record of a larger
/// commit was already found incompressible when it was written, and trying again would cost CPU
/// and memory for nothing (a bulk load of small graph objects is mostly such records).
struct CompactionPlan {
    /// Records copied unchanged: their CID and range in the segment.
    var kept: [(cid: CID, record: Range<Int>)] = []
    /// Records re-encoded into ``recompressed``: their CID and range there.
    var compressed: [(cid: CID, record: Range<Int>)] = []
    var recompressed: [UInt8] = []

    /// Walks the segment's records in order; blocks count once a commit record follows them.
    init(segment buf: UnsafeRawBufferPointer, level: Int32?, deferredBelow threshold: Int, path: String) throws {
        var offset = StoreFiles.segmentHeaderLength
        var group: [(cid: CID, record: Range<Int>, raw: Range<Int>?)] = []
        var groupBytes = 0
        while offset < buf.count {
            let frame: Record.Frame
            do { frame = try Record.read(buf, at: offset) } catch {
                throw StoreError.corruptStore(path: path, reason: .cause(error, "invalid record at byte \(offset) of a sealed segment"))
            }
            let record = offset..<offset + frame.length
            if frame.kind == Record.Kind.block.rawValue {
                let h: (cid: CID, encoding: UInt8, rawLength: Int, payload: Range<Int>)
                do throws(ByteReader.Failure) { h = try BlockRecord.header(buf, body: frame.body) } catch {
                    throw StoreError.corruptStore(path: path, reason: "block record at byte \(offset): \(error.reason)")
                }
                if h.encoding == BlockRecord.raw && h.payload.count != h.rawLength {
                    throw StoreError.corruptStore(path: path, reason: "block record at byte \(offset): raw length \(h.payload.count) != \(h.rawLength)")
                }
                group.append((h.cid, record, h.encoding == BlockRecord.raw ? h.payload : nil))
                groupBytes += h.rawLength
            } else if frame.kind == Record.Kind.commit.rawValue {
                let deferred = level != nil && groupBytes < threshold
                for g in group {
                    if deferred, let level, let raw = g.raw, raw.count >= Zstd.minimumInput {
                        let start = recompressed.count
                        BlockRecord.append(cid: g.cid, canonical: UnsafeRawBufferPointer(rebasing: buf[raw]), level: level, to: &recompressed)
                        compressed.append((g.cid, start..<recompressed.count))
                    } else {
                        kept.append((g.cid, g.record))
                    }
                }
                group.removeAll(keepingCapacity: true)
                groupBytes = 0
            } else {
                throw StoreError.corruptStore(path: path, reason: "record of kind \(frame.kind) at byte \(offset) of a journal segment")
            }
            offset += frame.length
        }
    }
}
