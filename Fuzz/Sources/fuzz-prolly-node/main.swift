import EngramIPLD
import EngramProlly
import FuzzSupport

/// Decoding the Prolly node format (strict DAG-CBOR, fields, lengths, order and limits), then
/// validating the node on its own. Decoding is strict, so a decoded node must re-encode to the
/// input; its accessors must agree with each other; and validation may reject it only for the
/// chunking rule.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProllyNode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    // Hash only inputs that decode: the CID is just a name until validation.
    guard let node = try? NodeCodec.decode(bytes, cid: placeholder) else { return 0 }
    let again = node.isLeaf
        ? NodeCodec.encodeLeaf(keys: node.keys, values: node.values)
        : NodeCodec.encodeBranch(level: node.level, keys: node.keys, children: node.children, counts: node.counts)
    fuzzCheck(again == bytes, "a decoded node re-encodes to other bytes")
    fuzzCheck(node.entryCount == (node.isLeaf ? UInt64(node.count) : node.counts.reduce(0, +)), "entryCount disagrees with the entries")
    for i in 0..<node.count {
        let key = node.key(at: i)
        fuzzCheck(node.keyLength(at: i) == key.count, "keyLength \(i)")
        fuzzCheck(node.position(of: key) == i, "position of key \(i)")
        fuzzCheck(node.lowerBound(key) == i, "lowerBound of key \(i)")
        fuzzCheck(node.compareKey(at: i, key) == 0, "compareKey of key \(i) with itself")
        _ = node.width(at: i)
        _ = node.entry(at: i)
    }
    let cid = CID(hashing: bytes)
    for rightmost in [false, true] {
        let chunked = (try? NodeValidation.checkChunking(node, isRightmost: rightmost)) != nil
        let valid = (try? NodeValidation.validate(bytes: bytes, cid: cid, isRightmost: rightmost)) != nil
        fuzzCheck(chunked == valid, "validate and checkChunking disagree (rightmost \(rightmost))")
    }
    return 0
}

let placeholder = CID(hashing: [])

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard FuzzSeeds.directory != nil else { return 0 }
    for (t, nodes) in ProllySeeds.trees().enumerated() {
        for (n, node) in nodes.prefix(6).enumerated() { FuzzSeeds.write("tree\(t)-node\(n)", node) }
    }
    FuzzSeeds.write("empty-leaf", NodeCodec.emptyLeaf)
    return 0
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_prolly_node_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzProllyNode($0, $1) }
}
