import Benchmark
import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import Synchronization

typealias Rng = SplitMix64

extension SplitMix64 {
    /// A UUIDv7-shaped id at millisecond `ms`.
    mutating func id(ms: UInt64) -> EntityID {
        EntityID(high: (ms & 0xffff_ffff_ffff) << 16 | 0x7000 | (next() & 0xfff), low: 0x8000_0000_0000_0000 | (next() >> 2))
    }
}

/// A repository of `count` Person nodes (props name, age, group), one edge per node to a random
/// earlier node, and a hub node with 10,000 out-edges; built once per size and process.
final class GraphFixture: Sendable {
    let repo: Repository
    let head: CID
    let ids: [EntityID]
    let hub: EntityID
    let changed100: CID

    static let cache = Mutex<[Int: GraphFixture]>([:])

    static func of(_ count: Int) -> GraphFixture {
        if let f = cache.withLock({ $0[count] }) { return f }
        let f = GraphFixture(count: count)
        cache.withLock { $0[count] = f }
        return f
    }

    init(count: Int) {
        repo = try! Repository(store: MemoryBlockStore(), cacheCapacity: 1 << 16)
        var rng = Rng(seed: 42)
        var changes = ChangeSet()
        var ids: [EntityID] = []
        ids.reserveCapacity(count)
        for i in 0..<count {
            let id = rng.id(ms: 1_700_000_000_000 + UInt64(i / 16))
            ids.append(id)
            changes.put(Node(id: id, label: "Person", props: ["name": .string("user-\(i)"), "age": .int(i % 100), "group": .int(i % 1000)]))
            if i > 0 {
                let dst = ids[Int(rng.next() % UInt64(i))]
                changes.put(Edge(id: rng.id(ms: 1_700_000_000_000 + UInt64(i / 16)), src: id, label: "knows", dst: dst))
            }
        }
        hub = ids[count / 2]
        for j in 0..<10_000 {
            changes.put(Edge(id: rng.id(ms: 1_800_000_000_000 + UInt64(j)), src: hub, label: "mentions", dst: ids[Int(rng.next() % UInt64(count))]))
        }
        head = try! repo.commit(changes, CommitInfo(author: "bench", message: "fixture", time: 1))
        self.ids = ids
        var tx = try! repo.transaction()
        for k in 0..<100 {
            try! tx.updateNode(ids[Int(rng.next() % UInt64(count))], props: .patch(["age": .int(1000 + k)]))
        }
        changed100 = try! repo.commit(tx, CommitInfo(author: "bench", message: "100 changes", time: 2))
        try! repo.createBranch("bench", at: head)
    }

    /// Commits 50 new nodes, each with an edge to a random existing node, on branch `bench`.
    func commit50(_ rng: inout Rng, time: Int64) throws -> CID {
        var tx = try repo.transaction(on: "bench")
        for i in 0..<50 {
            let id = rng.id(ms: 1_900_000_000_000 + UInt64(time))
            tx.addNode(label: "Person", props: ["name": .string("new-\(time)-\(i)"), "age": .int(Int64(i)), "group": 7], id: id)
            tx.addEdge(from: id, "knows", to: ids[Int(rng.next() % UInt64(ids.count))], id: rng.id(ms: 1_900_000_000_000 + UInt64(time)))
        }
        return try repo.commit(tx, CommitInfo(author: "bench", message: "50 nodes", time: time))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 100
    )

    for size in [10_000, 100_000, 1_000_000] {
        Benchmark("Commit 50 nodes + 50 edges into \(size) nodes") { benchmark in
            let fixture = GraphFixture.of(size)
            var rng = Rng(seed: UInt64(size))
            var time: Int64 = 10
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                time += 1
                blackHole(try fixture.commit50(&rng, time: time))
            }
        }
    }

    Benchmark("Property equality lookup in 1M nodes", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let fixture = GraphFixture.of(1_000_000)
        let snapshot = try fixture.repo.snapshot(fixture.head)
        var rng = Rng(seed: 5)
        let names = (0..<benchmark.scaledIterations.count).map { _ in IPLD.string("user-\(rng.next() % 1_000_000)") }
        benchmark.startMeasurement()
        for name in names {
            var scan = try snapshot.nodes(label: "Person", where: "name", equals: name)
            blackHole(try scan.next())
        }
    }

    Benchmark("Out-neighbours of a node with 10,000 edges (1M nodes)") { benchmark in
        let fixture = GraphFixture.of(1_000_000)
        let snapshot = try fixture.repo.snapshot(fixture.head)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var scan = try snapshot.neighbors(fixture.hub, .out)
            blackHole(try scan.collect().count)
        }
    }

    Benchmark("Diff of two commits differing in 100 nodes (1M nodes)") { benchmark in
        let fixture = GraphFixture.of(1_000_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try fixture.repo.diff(fixture.head, fixture.changed100).nodes.count)
        }
    }

    Benchmark("Count by label and degree from tree counts (1M nodes)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let fixture = GraphFixture.of(1_000_000)
        let snapshot = try fixture.repo.snapshot(fixture.head)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try snapshot.count(label: "Person") + snapshot.degree(fixture.hub, .out))
        }
    }
}
