import Benchmark
import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import Foundation
import RecallCorpus
import Synchronization

/// 100,000 memory records in a file repository (strict durability, as users run it) and the
/// same records in SQLite FTS5 (WAL, synchronous=FULL), built once per process.
final class RecallFixture: @unchecked Sendable {
    let root: String
    let corpus: RecallCorpus
    let repo: Repository
    let head: CID
    let sqlite: SQLiteFTS
    let ids: [EntityID]

    static let shared = Mutex<RecallFixture?>(nil)
    static func get() -> RecallFixture {
        shared.withLock { f in
            if let f { return f }
            let made = RecallFixture(count: 100_000)
            f = made
            return made
        }
    }

    init(count: Int) {
        root = NSTemporaryDirectory() + "engram-recall-bench-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        corpus = RecallCorpus(count: count)
        repo = try! Repository.create(at: root + "/repo")
        var ids: [EntityID] = []
        var ops: [ChangeOp] = []
        for (i, text) in corpus.records.enumerated() {
            let id = EntityID(high: 0x0190_0000_0000_7000 | UInt64(i >> 12) << 16, low: 0x8000_0000_0000_0000 | UInt64(i))
            ids.append(id)
            ops.append(.putNode(Node(id: id, label: "Memory", props: ["text": .string(text), "n": .int(i)])))
        }
        var it = ops.makeIterator()
        head = try! repo.commitStream(CommitInfo(author: "bench", message: "records", time: 1)) { it.next() }
        self.ids = ids
        sqlite = SQLiteFTS(path: root + "/fts.sqlite", records: corpus.records)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// 100,000 random 384-dimension vectors on Memory nodes of an in-memory repository.
final class VectorFixture: @unchecked Sendable {
    let repo: Repository
    let head: CID
    let queries: [[Float]]

    static let shared = Mutex<VectorFixture?>(nil)
    static func get() -> VectorFixture {
        shared.withLock { f in
            if let f { return f }
            let made = VectorFixture(count: 100_000, dimensions: 384)
            f = made
            return made
        }
    }

    init(count: Int, dimensions: Int) {
        repo = try! Repository(store: MemoryBlockStore(), cacheCapacity: 1 << 16)
        var rng = SplitMix64(seed: 3)
        func vector() -> [Float] { (0..<dimensions).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 } }
        var ops: [ChangeOp] = []
        for i in 0..<count {
            let id = EntityID(high: 0x0190_0000_0000_7000 | UInt64(i >> 12) << 16, low: 0x8000_0000_0000_0000 | UInt64(i))
            var node = Node(id: id, label: "Memory", props: ["n": .int(i)])
            try! node.setEmbedding(vector(), model: "bench-384")
            ops.append(.putNode(node))
        }
        var it = ops.makeIterator()
        head = try! repo.commitStream(CommitInfo(author: "bench", message: "vectors", time: 1)) { it.next() }
        queries = (0..<50).map { _ in vector() }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 5, maxDuration: .seconds(10), maxIterations: 1_000)

    // The same 200 queries, top 10, one query per iteration: Engram's BM25 lane vs FTS5 bm25().
    Benchmark("Text recall top 10, 100,000 records: Engram (file store, strict)") { benchmark in
        let f = RecallFixture.get()
        let snapshot = try f.repo.snapshot(f.head)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let query = TextQuery(f.corpus.queries[i % f.corpus.queries.count], limit: 10, filter: NodeFilter(validAt: .any))
            blackHole(try snapshot.searchText(query))
            i += 1
        }
    }
    Benchmark("Text recall top 10, 100,000 records: SQLite FTS5 bm25()") { benchmark in
        let f = RecallFixture.get()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(f.sqlite.search(f.corpus.queries[i % f.corpus.queries.count], limit: 10))
            i += 1
        }
    }
    Benchmark("Hybrid recall (text lane, 1-hop expansion, 2,000 tokens), 100,000 records") { benchmark in
        let f = RecallFixture.get()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try f.repo.recall(text: f.corpus.queries[i % f.corpus.queries.count], validAt: .any,
                                        expand: RecallExpansion(hops: 1)))
            i += 1
        }
    }

    Benchmark("Exact k-NN top 10, 100,000 x 384 float32 (cosine)") { benchmark in
        let f = VectorFixture.get()
        let snapshot = try f.repo.snapshot(f.head)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let query = VectorQuery(vector: f.queries[i % f.queries.count], model: "bench-384", k: 10, metric: .cosine,
                                    filter: NodeFilter(validAt: .any))
            blackHole(try snapshot.nearest(query))
            i += 1
        }
    }

    // Index maintenance: a 50-node commit of memory records with and without the full-text
    // index, into 100,000 records on the strict file store.
    for indexed in [true, false] {
        Benchmark("Commit 50 memory records into 100,000, file store strict, full-text index \(indexed ? "on" : "off")",
                  configuration: .init(maxIterations: 200)) { benchmark in
            let f = RecallFixture.get()
            let branch = indexed ? "with-text" : "without-text"
            if try f.repo.branchHead(branch) == nil {
                try f.repo.createBranch(branch, at: f.head)
                // "Off" indexes no property: the index's trees stay empty and unread.
                if !indexed {
                    try f.repo.configureTextIndex(TextIndexConfig(properties: []), on: branch,
                                                  CommitInfo(author: "bench", message: "no text index", time: 2))
                }
            }
            var rng = SplitMix64(seed: indexed ? 1 : 2)
            var time: Int64 = 10
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                time += 1
                var tx = try f.repo.transaction(on: branch)
                for _ in 0..<50 {
                    let words = (0..<20).map { _ in f.corpus.vocabulary[Int(rng.next() % 5_000)] }.joined(separator: " ")
                    tx.addNode(label: "Memory", props: ["text": .string(words)])
                }
                blackHole(try f.repo.commit(tx, CommitInfo(author: "bench", message: "50", time: time)))
            }
        }
    }
}
