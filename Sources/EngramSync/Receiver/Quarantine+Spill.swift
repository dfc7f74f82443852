import EngramIPLD
import EngramStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Quarantine {
    /// Appends the in-memory blocks to the spill file as CAR sections.
    func spill() throws(SyncError) {
        guard fd >= 0, !memoryOrder.isEmpty else { return }
        var out: [UInt8] = []
        out.reserveCapacity(memoryBytes + memoryOrder.count * 48)
        var placed: [(CID, Int, Int)] = []
        for cid in memoryOrder {
            guard let bytes = memory[cid] else { continue }
            let cidBytes = cid.bytes
            // Sections are at most a block limit plus a CID: the length always fits a varint.
            try? Varint.write(UInt64(cidBytes.count + bytes.count), into: &out)
            out += cidBytes
            placed.append((cid, fileSize + out.count, bytes.count))
            out += bytes
        }
        try writeAll(out, at: fileSize)
        fileSize += out.count
        for (cid, offset, length) in placed {
            spilled[cid] = (offset, length)
            spillOrder.append(cid)
        }
        memory = [:]
        memoryOrder = []
        memoryBytes = 0
    }

    /// Reads back what an earlier, cut transfer left: every section is re-verified; the file is
    /// cut after the last whole, valid one.
    func reload() throws(SyncError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw io("fstat") }
        let size = Int(st.st_size)
        guard size > 0 else { return }
        let data = try readSpill(0, size, verifyLength: false)
        let offset = data.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                var at = offset
                guard let length = try? Varint.read(from: buf, at: &at), let total = Int(exactly: length),
                      total <= buf.count - at else { break }
                var cidEnd = at
                guard let cid = try? CID.read(from: buf, at: &cidEnd), cidEnd - at <= total,
                      let block = try? Block(cid: cid, bytes: Array(buf[cidEnd..<at + total])) else { break }
                spilled[cid] = (cidEnd, block.bytes.count)
                spillOrder.append(cid)
                count += 1
                bytes += block.bytes.count
                offset = at + total
            }
            return offset
        }
        if offset < size, ftruncate(fd, off_t(offset)) != 0 { throw io("ftruncate") }
        fileSize = offset
    }

    func readSpill(_ offset: Int, _ length: Int, verifyLength: Bool = true) throws(SyncError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let n = out.withUnsafeMutableBytes { buf in
                pread(fd, buf.baseAddress! + done, length - done, off_t(offset + done))
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw io("pread") }
            done += n
        }
        return out
    }

    func verified(_ cid: CID, _ bytes: [UInt8]) throws(SyncError) -> Block {
        do { return try Block(cid: cid, bytes: bytes) } catch {
            throw .repository(.corruptBlock(cid, reason: "changed in the quarantine file \(path ?? ""): \(error)"))
        }
    }

    private func writeAll(_ bytes: [UInt8], at offset: Int) throws(SyncError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                pwrite(fd, buf.baseAddress! + done, bytes.count - done, off_t(offset + done))
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw io("pwrite") }
            done += n
        }
    }

    private func io(_ op: String) -> SyncError {
        .repository(.store(.io(operation: op, path: path ?? "quarantine", errno: errno)))
    }
}
