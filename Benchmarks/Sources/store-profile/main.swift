// A harness for profiling the block store's hot paths under `perf` or `valgrind`, on the same
// workload as StoreBenchmarks (the benchmark tables remain the numbers of record):
//   store-profile get <count> [threads]   random gets on the large store (built if missing)
//   store-profile commit <count> [defer]  10-block strict commits into a fresh store
//                                         (defer: Options.deferCompressionBelow)
//   store-profile fdatasync <count>       bare 4 KiB append + fdatasync, for comparison
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EngramIPLD
import EngramStore
import StoreWorkload
import Synchronization

func percentiles(_ samples: [Double]) -> String {
    let s = samples.sorted()
    return "p0 \(Int(s[0] * 1e6)) us, p50 \(Int(s[s.count / 2] * 1e6)) us"
}

let args = CommandLine.arguments
guard args.count >= 3, let count = Int(args[2]), count > 0 else {
    print("usage: store-profile get <count> [threads] | commit <count> [defer-bytes] | fdatasync <count>")
    exit(2)
}
switch args[1] {
case "get":
    let threads = args.count > 3 ? Int(args[3]) ?? 1 : 1
    let store = try FileBlockStore.open(at: try Workload.largeStore(), options: .init(readOnly: true))
    let cids = Workload.randomCIDs(count, seed: 7)
    for cid in cids { _ = try store.get(cid) }  // warm the page cache, as the benchmark does
    let start = Workload.now()
    let total = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        var bytes = 0
        for i in stride(from: t, to: cids.count, by: threads) { bytes &+= (try? store.get(cids[i]))??.count ?? 0 }
        total.withLock { $0 += bytes }
    }
    let seconds = Workload.now() - start
    print("get, \(threads) thread(s): \(Int(seconds / Double(count) * 1e9)) ns/get, \(Int(Double(count) / seconds)) gets/s, \(total.withLock { $0 }) bytes")
case "commit":
    let path = Workload.directory + "/profile-commit"
    Workload.removeTree(path)
    mkdir(Workload.directory, 0o755)
    var options = FileBlockStore.Options()
    if args.count > 3, let threshold = Int(args[3]) { options.deferCompressionBelow = threshold }
    let store = try FileBlockStore.create(at: path, options: options)
    var samples: [Double] = []
    for c in 0..<count {
        let blocks = (c * 10..<c * 10 + 10).map { Workload.block(5_000_000 + $0) }
        let start = Workload.now()
        try store.commit(blocks: blocks)
        samples.append(Workload.now() - start)
    }
    print("10-block strict commit: \(percentiles(samples))")
    try store.close()
    Workload.removeTree(path)
case "fdatasync":
    mkdir(Workload.directory, 0o755)
    let path = Workload.directory + "/profile-fdatasync.bin"
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
    let page = [UInt8](repeating: 0x5a, count: 4096)
    var samples: [Double] = []
    for i in 0..<count {
        let start = Workload.now()
        _ = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, off_t(i * 4096)) }
        _ = fdatasync(fd)
        samples.append(Workload.now() - start)
    }
    close(fd)
    unlink(path)
    print("bare 4 KiB append + fdatasync: \(percentiles(samples))")
default:
    print("unknown mode \(args[1])")
    exit(2)
}
