import Foundation
import EngramIPLD
@testable import EngramStore
import EngramTestSupport

/// A fresh empty directory under the system temporary directory, removed by `cleanup`.
struct TempDirectory {
    let path: String

    init() {
        path = TestDirectory.make("engram-store")
    }

    var store: String { path + "/store" }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Deterministic pseudo-random bytes (SplitMix64).
struct TestRandom {
    var generator: SplitMix64
    init(_ seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

func rawBlocks(_ count: Int, size: Int = 200, seed: UInt64 = 1) -> [Block] {
    var r = TestRandom(seed)
    return (0..<count).map { _ in Block(bytes: r.bytes(size), codec: .raw) }
}

/// A DAG-CBOR block linking to `links`.
func node(_ label: String, links: [CID]) throws -> Block {
    try Block(encoding: .map(IPLDMap(uniqueKeysWithValues: [("label", .string(label)), ("links", .list(links.map { .link($0) }))])))
}

/// Options for tests: no background compaction, so system-call counts are deterministic.
func testOptions(segmentSize: Int = 1 << 20, sys: SystemCalls = .live) -> FileBlockStore.Options {
    var o = FileBlockStore.Options()
    o.autoCompact = false
    o.compactOnCloseAbove = nil
    o.segmentSize = segmentSize
    o.sys = sys
    return o
}

/// The single file in a directory with the given suffix, for tests that damage files.
func files(in dir: String, suffix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(suffix) }.sorted().map { dir + "/" + $0 }
}
