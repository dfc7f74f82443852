import Benchmark
import EngramIPLD
import EngramProlly
import EngramStore

/// Shared inputs, built once per process: 1,000,000 entries of 16-byte keys and 36-byte values
/// from SplitMix64 (seed 42), sorted; a tree of them; 100 edited keys.
final class ProllyFixture: Sendable {
    static let shared = ProllyFixture()

    let entries: [ProllyEntry]
    let storage: ProllyStorage
    let tree: ProllyTree
    let edited: ProllyTree
    let probes: [[UInt8]]

    init() {
        var unique: [[UInt8]: ProllyValue] = [:]
        for e in SplitMix64.entries(count: 1_000_000, seed: 42) { unique[e.key] = e.value }
        let sorted = unique.map { ProllyEntry(key: $0.key, value: $0.value) }.sorted { KeyOrder.less($0.key, $1.key) }
        let storage = ProllyStorage(blocks: MemoryBlockStore(), cache: NodeCache(capacity: 1 << 16))
        let tree = try! ProllyTree.build(sorted: sorted, in: storage)
        var rng = SplitMix64(seed: 7)
        let probes = (0..<4096).map { _ in sorted[Int(rng.next() % UInt64(sorted.count))].key }
        let batch: [ProllyMutation] = (0..<100).map { i in
            i % 2 == 0 ? .upsert(key: rng.bytes(16), value: .bytes(rng.bytes(36))) : .remove(key: probes[i])
        }
        entries = sorted
        self.storage = storage
        self.tree = tree
        self.probes = probes
        edited = try! tree.applying(batch)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    Benchmark("Bulk build 1M entries (16 B keys, 36 B values)", configuration: .init(maxIterations: 5)) { benchmark in
        let entries = ProllyFixture.shared.entries
        benchmark.startMeasurement()
        let tree = try ProllyTree.build(sorted: entries, in: ProllyStorage(blocks: MemoryBlockStore()))
        benchmark.stopMeasurement()
        blackHole(tree.root)
    }

    Benchmark("Insert one key into a 1M tree (new root)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let fixture = ProllyFixture.shared
        var rng = SplitMix64(seed: 99)
        let keys = (0..<benchmark.scaledIterations.count).map { _ in rng.bytes(16) }
        let value = ProllyValue.bytes(rng.bytes(36))
        benchmark.startMeasurement()
        for key in keys { blackHole(try fixture.tree.inserting(key, value).root) }
    }

    Benchmark("Point lookup, warm, in a 1M tree", configuration: .init(scalingFactor: .mega)) { benchmark in
        let fixture = ProllyFixture.shared
        for key in fixture.probes { blackHole(try fixture.tree.get(key)) }
        benchmark.startMeasurement()
        var i = 0
        for _ in benchmark.scaledIterations {
            blackHole(try fixture.tree.get(fixture.probes[i & 4095]))
            i += 1
        }
    }

    Benchmark("Diff of two 1M trees differing in 100 keys") { benchmark in
        let fixture = ProllyFixture.shared
        benchmark.startMeasurement()
        var diff = try fixture.tree.diff(to: fixture.edited)
        var n = 0
        while try diff.next() != nil { n += 1 }
        precondition(n == 100)
    }
}
