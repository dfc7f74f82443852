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
        // The full-text postings, derived (and saved) once, as the first search would.
        try! repo.textIndex(at: head.description)
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

    // Full-text cost of a 50-node commit of memory records into 100,000 on the strict file
    // store (SPEC 7.11): the commit itself with the text configuration on and with no property
    // indexed; then the commit plus deriving (and saving) the postings a search needs, which
    // the first search after the commit would otherwise do; then ten commits and one derivation.
    for (name, indexed, derive, commits) in [("full-text on", true, false, 1), ("full-text off", false, false, 1),
                                             ("then derive the postings", true, true, 1),
                                             ("x10, then derive the postings once", true, true, 10)] {
        Benchmark("Commit 50 memory records into 100,000, file store strict, \(name)",
                  configuration: .init(maxIterations: commits == 1 ? 200 : 40)) { benchmark in
            let f = RecallFixture.get()
            let branch = "bench-" + name.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ",", with: "")
            if try f.repo.branchHead(branch) == nil {
                try f.repo.createBranch(branch, at: f.head)
                // "Off" indexes no property: its postings are empty.
                if !indexed {
                    try f.repo.configureTextIndex(TextIndexConfig(properties: []), on: branch,
                                                  CommitInfo(author: "bench", message: "no text index", time: 2))
                }
                if derive { try f.repo.textIndex(at: branch) }
            }
            var rng = SplitMix64(seed: UInt64(name.utf8.count))
            var time: Int64 = 10
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for _ in 0..<commits {
                    time += 1
                    var tx = try f.repo.transaction(on: branch)
                    for _ in 0..<50 {
                        let words = (0..<20).map { _ in f.corpus.vocabulary[Int(rng.next() % 5_000)] }.joined(separator: " ")
                        tx.addNode(label: "Memory", props: ["text": .string(words)])
                    }
                    blackHole(try f.repo.commit(tx, CommitInfo(author: "bench", message: "50", time: time)))
                }
                if derive { blackHole(try f.repo.textIndex(at: branch)) }
            }
        }
    }
}
