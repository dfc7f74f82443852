import EngramCAR
import EngramIPLD
import EngramStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Quarantine {
    /// Appends the in-memory blocks to the spill file (its CAR header first, if it is new).
    func spill() throws(SyncError) {
        guard fd >= 0, !memoryOrder.isEmpty else { return }
        var out: [UInt8] = []
        out.reserveCapacity(memoryBytes + memoryOrder.count * 48 + 64)
        let start = fileSize
        var placed: [(CID, Int, Int)] = []
        do {
            var writer = start == 0
                ? try CARWriter(roots: roots, limits: carLimits) { out += $0 }
                : CARWriter(continuingAt: start, limits: carLimits) { out += $0 }
            for cid in memoryOrder {
                guard let bytes = memory[cid] else { continue }
                let block = Block(unchecked: cid, bytes: bytes)
                try writer.write(block)
                placed.append((cid, writer.byteCount - bytes.count, bytes.count))
            }
            try writer.finish()
        } catch {
            throw .wrapping(error)
        }
        try writeAll(out, at: start)
        fileSize = start + out.count
        for (cid, offset, length) in placed {
            spilled[cid] = (offset, length)
            spillOrder.append(cid)
        }
        memory = [:]
        memoryOrder = []
        memoryBytes = 0
    }

    /// Reads back what an earlier, cut transfer left: every block is re-verified by the CAR
    /// reader; the file is cut after the last whole, valid section (emptied when its header is
    /// bad or names other roots).
    func reload() throws(SyncError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw io("fstat") }
        guard st.st_size > 0 else { return }
        var end = 0
        if var reader = try? CARReader(CARFile(descriptor: fd, path: path ?? "quarantine"), limits: carLimits),
           reader.roots == roots {
            end = reader.offset
            while let block = try? reader.next() {
                let at = reader.offset - block.bytes.count
                spilled[block.cid] = (at, block.bytes.count)
                spillOrder.append(block.cid)
                count += 1
                bytes += block.bytes.count
                end = reader.offset
            }
        }
        if end < Int(st.st_size), ftruncate(fd, off_t(end)) != 0 { throw io("ftruncate") }
        fileSize = end
    }

    func readSpill(_ offset: Int, _ length: Int) throws(SyncError) -> [UInt8] {
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
            throw .repository(.corruptBlock(cid, reason: .cause(error, "changed in the quarantine file \(path ?? "")")))
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
