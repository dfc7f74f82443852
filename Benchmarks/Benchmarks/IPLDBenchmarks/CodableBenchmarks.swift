import Benchmark
import EngramIPLD

/// A record shaped like a graph node: a few scalar fields, bytes, a link and a small map.
private struct BenchNode: Codable, Equatable {
    var id: [UInt8]
    var label: String
    var time: Int64
    var score: Double
    var parent: CID?
    var tags: [String]
    var props: [String: Int]
}

private let sample = BenchNode(
    id: Array(0..<16), label: "person", time: 1_763_790_000_000_000, score: 0.75,
    parent: CID(hashing: [0xf6]), tags: ["a", "bb", "ccc"],
    props: ["age": 42, "height": 180, "weight": 75, "shoe": 44])

/// The Codable bridge: encode and decode of one node-sized record, 1000 per iteration.
func codableBenchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .cpuTotal, .mallocCountTotal]
    let encoded = try! DAGCBOREncoder().encode(sample)

    Benchmark("Codable DAGCBOREncoder node x1000", configuration: .init(metrics: metrics)) { benchmark in
        let encoder = DAGCBOREncoder()
        for _ in benchmark.scaledIterations {
            for _ in 0..<1000 { blackHole(try encoder.encode(sample)) }
        }
    }

    Benchmark("Codable DAGCBORDecoder node x1000", configuration: .init(metrics: metrics)) { benchmark in
        let decoder = DAGCBORDecoder()
        for _ in benchmark.scaledIterations {
            for _ in 0..<1000 { blackHole(try decoder.decode(BenchNode.self, from: encoded)) }
        }
    }
}
