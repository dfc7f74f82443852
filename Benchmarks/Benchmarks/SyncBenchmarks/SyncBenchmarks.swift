import Benchmark
import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import EngramSync
import Foundation
import Synchronization

/// Two file repositories (strict durability, as users run them) synced in process through
/// `RepositoryEndpoint`: the protocol without HTTP, so these figures are the sync work itself.
final class SyncFixture: @unchecked Sendable {
    let root: String
    let origin: Repository
    let ids: [EntityID]
    var rng = SplitMix64(seed: 7)

    init(nodes: Int) {
        root = NSTemporaryDirectory() + "engram-sync-bench-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        origin = try! Repository.create(at: root + "/origin")
        var ids: [EntityID] = []
        var ops: [ChangeOp] = []
        for i in 0..<nodes {
            let id = EntityID(high: 0x0190_0000_0000_7000 | UInt64(i >> 12) << 16, low: 0x8000_0000_0000_0000 | UInt64(i))
            ids.append(id)
            ops.append(.putNode(Node(id: id, label: "Person", props: ["name": .string("user-\(i)"), "age": .int(i % 100)])))
            if i > 0 {
                ops.append(.putEdge(Edge(id: EntityID(high: 0x0191_0000_0000_7000, low: 0x8000_0000_0000_0000 | UInt64(i)),
                                         src: id, label: "knows", dst: ids[i / 2])))
            }
        }
        var it = ops.makeIterator()
        _ = try! origin.commitStream(CommitInfo(author: "bench", message: "fixture", time: 1)) { it.next() }
        self.ids = ids
    }

    /// A new empty repository in the fixture's directory.
    func emptyRepository() -> Repository {
        try! Repository.create(at: root + "/copy-\(UUID().uuidString)")
    }

    /// Commits 100 changed nodes on the origin.
    func change100() {
        var tx = try! origin.transaction()
        for k in 0..<100 {
            let id = ids[Int(rng.next() % UInt64(ids.count))]
            tx.putNode(Node(id: id, label: "Person", props: ["name": .string("changed-\(k)-\(rng.next() % 1000)"), "age": .int(k)]))
        }
        _ = try! origin.commit(tx, CommitInfo(author: "bench", message: "100 changes"))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Appends a line to the file `$ENGRAM_BENCH_NOTES` names (the plugin keeps a benchmark's own
/// output to itself): bytes and blocks moved, which the metrics above do not carry.
private func note(_ line: String) {
    guard let path = ProcessInfo.processInfo.environment["ENGRAM_BENCH_NOTES"],
          let handle = FileHandle(forWritingAtPath: path) ?? {
              FileManager.default.createFile(atPath: path, contents: nil)
              return FileHandle(forWritingAtPath: path)
          }() else { return }
    handle.seekToEndOfFile()
    handle.write(Data((line + "\n").utf8))
    try? handle.close()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 50)

    let fixture = Mutex<SyncFixture?>(nil)
    func shared() -> SyncFixture {
        fixture.withLock { f in
            if let f { return f }
            let made = SyncFixture(nodes: 100_000)
            f = made
            return made
        }
    }

    Benchmark("Sync: clone, 100,000 nodes, in process (file store, strict)",
              configuration: .init(maxDuration: .seconds(30), maxIterations: 5)) { benchmark in
        let f = shared()
        for _ in benchmark.scaledIterations {
            let copy = f.emptyRepository()
            benchmark.startMeasurement()
            let report = try await copy.cloneContents(from: RepositoryEndpoint(repository: f.origin))
            benchmark.stopMeasurement()
            note("clone: \(report.stats.blocksReceived) blocks, \(report.stats.bytesReceived) bytes, \(report.stats.roundTrips) round trips")
        }
    }

    Benchmark("Sync: pull of 100 changed nodes, 100,000 nodes, in process (file store, strict)") { benchmark in
        let f = shared()
        let copy = f.emptyRepository()
        _ = try await copy.cloneContents(from: RepositoryEndpoint(repository: f.origin))
        for _ in benchmark.scaledIterations {
            f.change100()
            benchmark.startMeasurement()
            let report = try await copy.pull(from: RepositoryEndpoint(repository: f.origin),
                                             info: CommitInfo(author: "bench", message: "pull"))
            benchmark.stopMeasurement()
            note("pull: \(report.fetch.stats.blocksReceived) blocks, \(report.fetch.stats.bytesReceived) bytes, "
                 + "\(report.fetch.stats.roundTrips) round trips, already had \(report.fetch.stats.blocksAlreadyHad)")
        }
    }
}
