#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
import EngramStore

/// The benchmark workload, shared with `Benchmarks/scripts/store_peers.py` (same sizes and
/// content scheme): block i = 8-byte little-endian counter + a slice of a fixed 1 MiB pool of
/// text-like bytes, 1024-4096 bytes long, so blocks are distinct and compress about 2x.
public enum Workload {
    public static let pool: [UInt8] = {
        var state: UInt64 = 42
        let words = ["memory", "agent", "graph", "node", "edge", "commit", "the", "of", "and", "a", "tree", "hash",
                     "prolly", "store", "block", "user", "said", "remember", "that", "task", "plan", "tool", "result"]
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        while out.count < 1 << 20 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let w = words[Int(state >> 33) % words.count]
            out.append(contentsOf: w.utf8)
            out.append(state >> 60 == 0 ? 0x0a : 0x20)
            if (state >> 40) & 0xF == 0 { out.append(contentsOf: String(state >> 44, radix: 36).utf8) }
        }
        return Array(out.prefix(1 << 20))
    }()

    /// The bytes of block `i`.
    public static func bytes(_ i: Int) -> [UInt8] {
        var s = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
        s ^= s >> 29
        let length = 1024 + Int(s % 3073)
        let offset = Int((s >> 16) % UInt64(pool.count - length))
        var out = [UInt8]()
        out.reserveCapacity(length)
        withUnsafeBytes(of: UInt64(i).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: pool[offset..<offset + length - 8])
        return out
    }

    public static func block(_ i: Int) -> Block { Block(bytes: bytes(i), codec: .raw) }

    /// `count` CIDs of blocks of the large store picked at random (a fixed LCG from `seed`).
    public static func randomCIDs(_ count: Int, seed: UInt64) -> [CID] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return block(Int(state >> 33) % largeCount).cid
        }
    }

    /// Ingests blocks `range` in commits of `perCommit`, each moving `refs/heads/main`.
    public static func ingest(_ store: FileBlockStore, _ range: Range<Int>, perCommit: Int = 1000) throws {
        var previous = try store.refs.resolve("refs/heads/main")
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(i + perCommit, range.upperBound)
            let blocks = (i..<end).map(block)
            let head = blocks[blocks.count - 1].cid
            try store.commit(blocks: blocks, refUpdates: [.move("refs/heads/main", from: previous, to: head)])
            previous = head
            i = end
        }
    }

    public static func removeTree(_ path: String) {
        _ = path.withCString { p in system("rm -rf '\(String(cString: p))'") }
    }

    /// Directory for benchmark stores (`ENGRAM_BENCH_DIR`, default /tmp/engram-bench).
    public static var directory: String {
        if let v = getenv("ENGRAM_BENCH_DIR") { return String(cString: v) }
        return "/tmp/engram-bench"
    }

    /// Number of blocks of the large store (`ENGRAM_BENCH_BLOCKS`, default 1,000,000).
    public static var largeCount: Int {
        if let v = getenv("ENGRAM_BENCH_BLOCKS"), let n = Int(String(cString: v)) { return n }
        return 1_000_000
    }

    /// The large store, built once and reused across runs (a `READY` marker records its size).
    public static func largeStore() throws -> String {
        let path = directory + "/large-\(largeCount)"
        if access(path + "/READY", F_OK) == 0 { return path }
        removeTree(path)
        mkdir(directory, 0o755)
        let store = try FileBlockStore.create(at: path)
        let start = now()
        try ingest(store, 0..<largeCount)
        let ingested = now()
        try store.compactAll()
        try store.close()
        let line = "built the large store: \(largeCount) blocks ingested durably (strict, commits of 1000) in "
            + "\(ingested - start) s = \(Int(Double(largeCount) / (ingested - start))) blocks/s; final compaction \(now() - ingested) s\n"
        report(line)
        let fd = open(path + "/READY", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        return path
    }

    /// Writes a line of facts to standard error (kept out of the benchmark tables).
    public static func report(_ line: String) {
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
