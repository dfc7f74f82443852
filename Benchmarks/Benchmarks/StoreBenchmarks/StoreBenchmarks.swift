#if canImport(Glibc)
import Glibc
#endif
import Benchmark
import Dispatch
import Engram
import EngramIPLD
import EngramStore
import StoreWorkload

let benchmarks: @Sendable () -> Void = {
    let once = Benchmark.Configuration(metrics: [.wallClock, .throughput, .cpuTotal, .peakMemoryResident],
                                       warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(120), maxIterations: 1)

    // Durable ingest: 100,000 blocks of 1-4 KiB in strict commits of 1,000 (100 fdatasyncs).
    // Throughput is in commits/s; blocks/s = 1,000 x that.
    Benchmark("Ingest 100k blocks, strict commits of 1000",
              configuration: .init(metrics: [.wallClock, .throughput, .cpuTotal], warmupIterations: 0,
                                   scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let path = Workload.directory + "/ingest"
        Workload.removeTree(path)
        mkdir(Workload.directory, 0o755)
        let store = try FileBlockStore.create(at: path)
        benchmark.startMeasurement()
        try Workload.ingest(store, 0..<100_000)
        benchmark.stopMeasurement()
        try store.close()
        Workload.removeTree(path)
    }

    // Commit latency of a 10-block strict commit, and one bare fdatasync (4 KiB appended to a
    // file, then fdatasync) measured in the same run for comparison.
    Benchmark("Commit 10 blocks, strict",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 300)) { benchmark in
        let path = Workload.directory + "/latency"
        Workload.removeTree(path)
        mkdir(Workload.directory, 0o755)
        let store = try FileBlockStore.create(at: path)
        var n = 5_000_000
        for _ in benchmark.scaledIterations {
            let blocks = (n..<n + 10).map(Workload.block)
            n += 10
            benchmark.startMeasurement()
            try store.commit(blocks: blocks)
            benchmark.stopMeasurement()
        }
        try store.close()
        Workload.removeTree(path)
    }

    // A graph commit of 10 new nodes through the repository (six trees, the index set, the
    // commit and the ref update): one write session, so one store commit and one fdatasync.
    Benchmark("Graph commit of 10 nodes, strict",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 300)) { benchmark in
        let path = Workload.directory + "/graph-latency"
        Workload.removeTree(path)
        mkdir(Workload.directory, 0o755)
        let repo = try Repository.create(at: path)
        var n: UInt64 = 0
        for _ in benchmark.scaledIterations {
            var tx = try repo.transaction()
            for _ in 0..<10 {
                n += 1
                tx.addNode(label: "Memory", props: ["text": .string("observation \(n)"), "n": .int(Int64(n))],
                           id: EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n))
            }
            benchmark.startMeasurement()
            _ = try repo.commit(tx, CommitInfo(author: "bench", message: "m"))
            benchmark.stopMeasurement()
        }
        try (repo.store as? FileBlockStore)?.close()
        Workload.removeTree(path)
    }

    Benchmark("Bare fdatasync of a 4 KiB append",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 300)) { benchmark in
        mkdir(Workload.directory, 0o755)
        let path = Workload.directory + "/fdatasync.bin"
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
        let page = [UInt8](repeating: 0x5a, count: 4096)
        var offset = 0
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            _ = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, off_t(offset)) }
            _ = fdatasync(fd)
            benchmark.stopMeasurement()
            offset += 4096
        }
        close(fd)
        unlink(path)
    }

    // The large store (1M blocks by default, built once in ENGRAM_BENCH_DIR and reused).
    Benchmark("Open the large store", configuration: .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0,
                                                         scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 10)) { benchmark in
        let path = try Workload.largeStore()
        benchmark.startMeasurement()
        let store = try FileBlockStore.open(at: path, options: .init(readOnly: true))
        benchmark.stopMeasurement()
        let stats = try store.stats()
        let line = "large store: \(stats.blockRecords) blocks, \(stats.packs) packs, index \(stats.indexBytes) bytes = "
            + "\(Double(stats.indexBytes) / Double(max(stats.blockRecords, 1))) bytes/block\n"
        Workload.report(line)
    }

    // Warm random gets on the large store: 100,000 per iteration (throughput x 100k = gets/s).
    Benchmark("Random get x100k, large store warm", configuration: once) { benchmark in
        let path = try Workload.largeStore()
        let store = try FileBlockStore.open(at: path, options: .init(readOnly: true))
        let cids = Workload.randomCIDs(100_000, seed: 7)
        // Warm: one untimed pass over the same CIDs brings their pages into the page cache (this
        // VM reclaims idle page cache within minutes, so a store left alone goes cold).
        for cid in cids { _ = try store.get(cid) }
        benchmark.startMeasurement()
        var bytes = 0
        for cid in cids { bytes &+= try store.get(cid)?.count ?? 0 }
        benchmark.stopMeasurement()
        blackHole(bytes)
    }

    // The same 100,000 gets split over 2 threads (this machine has 2 cores).
    Benchmark("Random get x100k, 2 threads, large store warm", configuration: once) { benchmark in
        let path = try Workload.largeStore()
        let store = try FileBlockStore.open(at: path, options: .init(readOnly: true))
        let cids = Workload.randomCIDs(100_000, seed: 11)
        for cid in cids { _ = try store.get(cid) }
        benchmark.startMeasurement()
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            var bytes = 0
            for i in stride(from: t, to: cids.count, by: 2) { bytes &+= (try? store.get(cids[i]))??.count ?? 0 }
            blackHole(bytes)
        }
        benchmark.stopMeasurement()
    }
}
