// Times Engram's Prolly tree on the same stream as scripts/prolly_peers.py and prints one JSON
// object, so the script can show both side by side. Build with -c release.
import EngramIPLD
import EngramProlly
import EngramStore
#if canImport(Glibc)
import Glibc
#endif

// Thread CPU time: the machine may be shared, and every timed operation is single-threaded.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `ProllyPeerRun <count> <operation>` repeats one operation for about ten seconds (for profiling).
let profile = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : nil

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
var unique: [[UInt8]: ProllyValue] = [:]
for e in SplitMix64.entries(count: count, seed: 42) { unique[e.key] = e.value }
let entries = unique.map { ProllyEntry(key: $0.key, value: $0.value) }.sorted { KeyOrder.less($0.key, $1.key) }

var best = Double.infinity
var tree: ProllyTree! = nil
var memory = MemoryBlockStore()
for _ in 0..<3 {
    memory = MemoryBlockStore()
    let start = now()
    tree = try ProllyTree.build(sorted: entries, in: ProllyStorage(blocks: memory, cache: NodeCache(capacity: 1 << 16)))
    best = min(best, now() - start)
}
let storage = tree.storage

var rng = SplitMix64(seed: 99)
if let profile {
    let end = now() + 10
    var sink = 0
    let keys = (0..<4096).map { _ in entries[Int(rng.next() % UInt64(entries.count))].key }
    var i = 0
    while now() < end {
        switch profile {
        case "lookup": if try tree.get(keys[i & 4095]) != nil { sink += 1 }
        case "insert": sink += try tree.inserting(rng.bytes(16), .null).root.encodedLength
        default: sink += try ProllyTree.build(sorted: entries, in: ProllyStorage(blocks: MemoryBlockStore())).root.encodedLength
        }
        i += 1
    }
    print(i, sink)
    exit(0)
}
let inserts = (0..<2000).map { _ in rng.bytes(16) }
let value = ProllyValue.bytes(rng.bytes(36))
var start = now()
for key in inserts { _ = try tree.inserting(key, value) }
let insertSeconds = (now() - start) / Double(inserts.count)

let probes = (0..<100_000).map { _ in entries[Int(rng.next() % UInt64(entries.count))].key }
for key in probes { _ = try tree.get(key) }
start = now()
for key in probes { _ = try tree.get(key) }
let lookupSeconds = (now() - start) / Double(probes.count)

let batch: [ProllyMutation] = (0..<100).map { i in
    i % 2 == 0 ? .upsert(key: rng.bytes(16), value: value) : .remove(key: probes[i])
}
let edited = try tree.applying(batch)
// Store reads counted with the node cache off.
let counting = memory
let cold = ProllyStorage(blocks: counting, cache: NodeCache(capacity: 0))
counting.resetCounters()
var diff = try ProllyTree(root: tree.root, storage: cold).diff(to: ProllyTree(root: edited.root, storage: cold))
let changes = try diff.collect().count
let diffReads = counting.counts.gets
start = now()
var warm = try tree.diff(to: edited)
_ = try warm.collect()
let diffSeconds = now() - start

print("""
{"entries": \(entries.count), "build_seconds": \(best), "build_entries_per_second": \(Double(entries.count) / best), \
"insert_seconds": \(insertSeconds), "lookup_seconds": \(lookupSeconds), "diff_seconds": \(diffSeconds), \
"diff_changes": \(changes), "diff_node_reads": \(diffReads), "height": \(try tree.height())}
""")
