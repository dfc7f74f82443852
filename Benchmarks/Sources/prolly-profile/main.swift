import EngramIPLD
import EngramProlly
import EngramStore

// Runs one Prolly operation N times over the ProllyBenchmarks fixture (1M entries of SPEC.md
// 6.7's generator, MemoryBlockStore, sha2-256, 65,536-node cache) for load-independent
// instruction counts: callgrind with `--collect-atstart=no --toggle-collect='*measure*'` counts
// only `measure`; N = 0 against N = K gives the cost of K operations.
//
//   prolly-profile insert|lookup|diff|build N

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "insert"
let n = Int(arguments.dropFirst().first ?? "10000")!

// 16 random bytes never repeat in practice, so sorting alone gives ProllyFixture's entries.
let sorted = SplitMix64.entries(count: 1_000_000, seed: 42).sorted { KeyOrder.less($0.key, $1.key) }
let storage = ProllyStorage(blocks: MemoryBlockStore(), cache: NodeCache(capacity: 1 << 16))
let tree = try ProllyTree.build(sorted: sorted, in: storage)
var rng = SplitMix64(seed: 7)
let probes = (0..<4096).map { _ in sorted[Int(rng.next() % UInt64(sorted.count))].key }
let batch: [ProllyMutation] = (0..<100).map { i in
    i % 2 == 0 ? .upsert(key: rng.bytes(16), value: .bytes(rng.bytes(36))) : .remove(key: probes[i])
}
let edited = try tree.applying(batch)
// As the insert benchmark: 1,000 new keys (SplitMix64 seed 99), inserted one at a time into the
// same tree, round after round; the first round (not measured) warms the cache and the store.
var keyGenerator = SplitMix64(seed: 99)
let insertKeys = (0..<1000).map { _ in keyGenerator.bytes(16) }
let insertValue = ProllyValue.bytes(keyGenerator.bytes(36))
for key in insertKeys { _ = try tree.inserting(key, insertValue) }
for key in probes { _ = try tree.get(key) }

@inline(never)
func measure(_ mode: String, _ n: Int) throws -> Int {
    var sink = 0
    switch mode {
    case "build":
        for _ in 0..<n {
            sink &+= try ProllyTree.build(sorted: sorted, in: ProllyStorage(blocks: MemoryBlockStore())).root.encodedLength
        }
    case "insert":
        for i in 0..<n { sink &+= try tree.inserting(insertKeys[i % 1000], insertValue).root.encodedLength }
    case "lookup":
        for i in 0..<n where try tree.get(probes[i & 4095]) != nil { sink &+= 1 }
    case "diff":
        for _ in 0..<n {
            var diff = try tree.diff(to: edited)
            while try diff.next() != nil { sink &+= 1 }
        }
    default:
        fatalError("mode: insert, lookup, diff or build")
    }
    return sink
}

let start = ContinuousClock.now
let sink = try measure(mode, n)
print(mode, n, ContinuousClock.now - start, sink)
