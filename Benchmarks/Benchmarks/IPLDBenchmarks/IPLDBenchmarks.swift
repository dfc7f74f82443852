import Benchmark
import BenchmarkCorpus
import EngramIPLD

// Each iteration processes the whole corpus (10,000 agent-memory records, about 4 MB), so
// MB/s = throughput (iterations/s) x corpus MB; the corpus size is printed at start.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .cpuTotal, .mallocCountTotal]
    Benchmark.defaultConfiguration = .init(metrics: metrics, warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 200)

    let records = Corpus.records()
    let values = records.map(\.ipld)
    let blocks = values.map { try! DAGCBOR.encode($0) }
    let totalBytes = blocks.reduce(0) { $0 + $1.count }
    print("corpus: \(blocks.count) records, \(totalBytes) bytes")
    precondition(records.map { try! $0.encoded() } == blocks, "fast path must write the generic bytes")

    Benchmark("DAG-CBOR encode, generic (corpus)") { benchmark in
        for value in values { blackHole(try DAGCBOR.encode(value)) }
    }
    Benchmark("DAG-CBOR decode, generic (corpus)") { benchmark in
        for block in blocks { blackHole(try DAGCBOR.decode(block)) }
    }
    Benchmark("DAG-CBOR encode, fast path (corpus)") { benchmark in
        var writer = DAGCBORWriter(capacity: totalBytes)
        for record in records { try record.encode(into: &writer) }
        blackHole(writer.bytes)
    }
    Benchmark("DAG-CBOR decode, fast path (corpus)") { benchmark in
        for block in blocks { blackHole(try MemoryRecord(decoding: block)) }
    }
    Benchmark("DAG-CBOR validate (corpus)") { benchmark in
        for block in blocks { try DAGCBOR.validate(block) }
    }
    Benchmark("DAG-JSON encode (corpus)") { benchmark in
        for value in values { blackHole(try DAGJSON.encode(value)) }
    }

    for size in [64, 4096, 1 << 20] {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let scale: BenchmarkScalingFactor = size == 64 ? .kilo : (size == 4096 ? .kilo : .one)
        for function in HashFunction.allCases {
            Benchmark("CID \(function) \(size) B", configuration: .init(scalingFactor: scale)) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(CID(hashing: bytes, codec: .raw, function: function)) }
            }
        }
    }

    codableBenchmarks()
}
