import EngramCAR
import EngramIPLD
import EngramStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where received blocks wait until the closure of what was asked for is complete: invisible
/// to the repository's readers and to garbage collection, never published in part.
///
/// Blocks stay in memory up to a budget, then go to a spill file, a CARv1 archive whose roots
/// are the transfer's roots (SPEC.md 9.3). A quarantine with a ``path`` survives a cut
/// transfer: the next fetch of the same wants reopens it, re-verifies every block and asks
/// only for the rest.
final class Quarantine {
    /// The spill file, if the quarantine may spill (and resume).
    let path: String?
    private let memoryBudget: Int
    /// The transfer's roots: the spill file's CAR header.
    let roots: [CID]
    /// The CAR limits of the spill file (its blocks obey the transfer's block limit).
    let carLimits: CARLimits
    var memory: [CID: [UInt8]] = [:]
    var memoryOrder: [CID] = []
    var memoryBytes = 0
    var spilled: [CID: (offset: Int, length: Int)] = [:]
    var spillOrder: [CID] = []
    var fd: Int32 = -1
    var fileSize = 0

    /// Blocks held, and their bytes.
    var count = 0
    var bytes = 0

    /// A quarantine spilling to `path` (nil: memory only). An existing file at `path` is
    /// reopened and its valid blocks kept (a resumed transfer); a torn last section is cut.
    init(path: String?, roots: [CID], limits: SyncLimits) throws(SyncError) {
        self.path = path
        self.roots = roots
        self.memoryBudget = limits.memoryBudget
        self.carLimits = CARLimits(maxBlockLength: max(CARLimits.default.maxBlockLength, limits.maxBlockBytes))
        guard let path else { return }
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .repository(.store(.io(operation: "open", path: path, errno: errno))) }
        try reload()
    }

    deinit { if fd >= 0 { close(fd) } }

    func contains(_ cid: CID) -> Bool { memory[cid] != nil || spilled[cid] != nil }

    /// Every CID held, in the order received.
    var cids: [CID] { spillOrder + memoryOrder }

    func get(_ cid: CID) throws(SyncError) -> [UInt8]? {
        if let b = memory[cid] { return b }
        guard let at = spilled[cid] else { return nil }
        return try readSpill(at.offset, at.length)
    }

    func add(_ block: Block) throws(SyncError) {
        guard !contains(block.cid) else { return }
        memory[block.cid] = block.bytes
        memoryOrder.append(block.cid)
        memoryBytes += block.bytes.count
        count += 1
        bytes += block.bytes.count
        if memoryBytes > memoryBudget, fd >= 0 { try spill() }
    }

    /// The blocks held in memory (those not spilled), in the order received.
    var memoryBlocks: [Block] {
        memoryOrder.compactMap { c in memory[c].map { Block(unchecked: c, bytes: $0) } }
    }

    /// Calls `body` with the spilled blocks in batches of about `batchBytes`.
    func forEachSpilledBatch(batchBytes: Int, _ body: ([Block]) throws(SyncError) -> Void) throws(SyncError) {
        var batch: [Block] = []
        var size = 0
        for cid in spillOrder {
            guard let at = spilled[cid] else { continue }
            batch.append(try verified(cid, try readSpill(at.offset, at.length)))
            size += at.length
            if size >= batchBytes {
                try body(batch)
                batch = []
                size = 0
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// Removes the spill file (after publishing, or when the transfer is abandoned for good).
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        if let path { unlink(path) }
    }
}
