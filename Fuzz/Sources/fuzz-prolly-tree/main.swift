import EngramIPLD
import EngramProlly
import EngramStore
import FuzzSupport

/// Reading a tree whose nodes came from elsewhere: a fuzzed set of nodes, linked so that the
/// reads get past the hash check, then every read path (get, cursor both ways, ranges, rank,
/// select, stats, proofs, validation). Lying counts, wrong levels and empty nodes must give
/// errors, never traps or hangs.
///
/// Input: pieces `length u16 LE | bytes`, the first the root. A piece that decodes as a branch
/// gets its child links replaced by the CIDs of the pieces after it (its keys, level and counts
/// kept), so fuzzed structure is reachable.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProllyTree(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(fuzzBytes(data, size))
    var pieces: [[UInt8]] = []
    while reader.remaining > 0 && pieces.count < 4 {
        pieces.append(reader.take(Int(reader.integer(UInt16.self))))
    }
    guard !pieces.isEmpty else { return 0 }
    let store = MemoryBlockStore()
    var cids = [CID](repeating: CID(hashing: []), count: pieces.count)
    var keys: [[UInt8]] = [[], [0xff]]
    for i in pieces.indices.reversed() {
        var bytes = pieces[i]
        if let node = try? NodeCodec.decode(bytes, cid: cids[i]) {
            keys += node.keys
            if !node.isLeaf {
                let later = Array(cids[(i + 1)...])
                let children = later.isEmpty ? node.children : node.children.indices.map { later[$0 % later.count] }
                bytes = NodeCodec.encodeBranch(level: node.level, keys: node.keys, children: children, counts: node.counts)
            }
        }
        let block = Block(bytes: bytes)
        cids[i] = block.cid
        store.put(block)
    }
    let tree = ProllyTree(root: cids[0], storage: ProllyStorage(blocks: store))
    exercise(tree, keys: keys)
    return 0
}

/// Runs every read of `tree`, except those named in `FUZZ_SKIP` (validate, get, rank, count,
/// proof, seek, select, stats, walk, range, diff).
func exercise(_ tree: ProllyTree, keys: [[UInt8]]) {
    func run(_ name: String, _ body: () -> Void) { if !fuzzSkipped.contains(name) { body() } }
    run("validate") { _ = try? tree.validate() }
    _ = try? tree.height()
    let count = (try? tree.count()) ?? 0
    run("stats") { _ = try? tree.stats() }
    // A few keys: every read decodes the nodes again when they are invalid (only valid nodes
    // are cached), so more keys mostly repeat work.
    for key in keys.prefix(4) {
        run("get") { _ = try? tree.get(key) }
        run("rank") { _ = try? tree.rank(of: key) }
        run("count") {
            _ = try? tree.count(from: key, to: nil)
            _ = try? tree.count(from: nil, to: key)
        }
        run("proof") { if let proof = try? tree.proof(for: key) { _ = try? proof.verify(root: tree.root) } }
        run("seek") {
            var cursor = ProllyCursor(tree: tree)
            if (try? cursor.seek(to: key)) != nil { _ = try? cursor.moveNext(); _ = cursor.entry }
        }
    }
    run("select") { for index in [0, count / 2, count &- 1, count, UInt64.max] { _ = try? tree.select(index) } }
    // Bounded walks: a tree whose links loop must not hang the run.
    run("walk") {
        var cursor = ProllyCursor(tree: tree)
        if (try? cursor.seekToFirst()) != nil {
            for _ in 0..<256 { guard (try? cursor.moveNext()) == true else { break } }
        }
        if (try? cursor.seekToLast()) != nil {
            for _ in 0..<256 { guard (try? cursor.movePrevious()) == true else { break } }
        }
    }
    run("range") {
        if var range = try? tree.entries(from: keys.last, to: nil) {
            for _ in 0..<256 { guard (try? range.next()) != nil else { break } }
        }
    }
    run("diff") {
        if let empty = try? ProllyTree.empty(in: tree.storage), var diff = try? tree.diff(to: empty) {
            for _ in 0..<256 { guard (try? diff.next()) != nil else { break } }
        }
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard FuzzSeeds.directory != nil else { return 0 }
    for (t, nodes) in ProllySeeds.trees().enumerated() {
        // The root and the nodes below it, in the harness's framing.
        var input: [UInt8] = []
        for node in nodes.prefix(4) {
            input += [UInt8(truncatingIfNeeded: node.count), UInt8(truncatingIfNeeded: node.count >> 8)] + node
        }
        FuzzSeeds.write("tree\(t)", input)
    }
    return 0
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_prolly_tree_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzProllyTree($0, $1) }
}
