import EngramIPLD
import EngramProlly

/// What the full-text index holds of one node: each term's frequency and the node's length
/// (its number of terms), over the configured text properties.
struct TextDocument: Equatable {
    var frequencies: [[UInt8]: Int] = [:]
    var length = 0

    init(_ node: Node, config: TextIndexConfig) {
        let tokenizer = config.tokenizer
        for text in config.texts(of: node) {
            for term in tokenizer.termBytes(text) {
                frequencies[term, default: 0] += 1
                length += 1
            }
        }
    }
}

/// Keys and values of the text index trees (SPEC.md 7.11).
enum TextKeys {
    /// (term) prefix of the terms tree.
    static func term(_ term: [UInt8]) -> [UInt8] {
        var k = TupleKey()
        k.append(textBytes: term)
        return k.bytes
    }

    /// (term, node id) in the terms tree.
    static func term(_ term: [UInt8], node: EntityID) -> [UInt8] {
        var k = Self.term(term)
        node.append(to: &k)
        return k
    }

    /// The bytes every term starting with `prefix` has at the start of its key: the escaped
    /// text without its terminator.
    static func termPrefix(_ prefix: [UInt8]) -> [UInt8] { Array(term(prefix).dropLast(2)) }

    /// The parts of a terms key.
    static func decodeTerm(_ key: [UInt8]) throws(GraphError) -> (term: [UInt8], node: EntityID) {
        try IndexKeys.read(key) { (r) throws(ProllyError) in (try r.readTextBytes(), try IndexKeys.readID(&r)) }
    }

    /// A count (a length) as a value: its unsigned LEB128 varint (SPEC 1.1).
    static func count(_ n: Int) -> ProllyValue {
        var out: [UInt8] = []
        appendVarint(n, to: &out)
        return .bytes(out)
    }

    /// A posting's value: the term's frequency in the node, then the node's length, each a
    /// varint, so that a search scores a posting without reading the docs tree.
    static func posting(frequency: Int, length: Int) -> ProllyValue {
        var out: [UInt8] = []
        out.reserveCapacity(4)
        appendVarint(frequency, to: &out)
        appendVarint(length, to: &out)
        return .bytes(out)
    }

    /// Counts come from token counts, far below the varint limit of 2^63 - 1.
    static func appendVarint(_ n: Int, to out: inout [UInt8]) {
        try? Varint.write(UInt64(clamping: n), into: &out)
    }

    /// Reads a count value; it must be a minimal varint of at least 1.
    static func readCount(_ value: ProllyValue, in tree: ProllyTree) throws(GraphError) -> Int {
        guard case .bytes(let b) = value, let (n, used) = try? Varint.decode(b), used == b.count, n >= 1,
              let count = Int(exactly: n) else {
            throw .invalidObject(kind: TextIndex.kind, cid: tree.root, reason: "a length is not a varint of at least 1")
        }
        return count
    }

    /// Reads a posting's value: two minimal varints of at least 1, the frequency at most the length.
    static func readPosting(_ value: ProllyValue, in tree: ProllyTree) throws(GraphError) -> (frequency: Int, length: Int) {
        guard case .bytes(let b) = value,
              let (tf, length, end) = b.withUnsafeBytes({ raw -> (UInt64, UInt64, Int)? in
                  var at = 0
                  guard let tf = try? Varint.read(from: raw, at: &at), let length = try? Varint.read(from: raw, at: &at) else { return nil }
                  return (tf, length, at)
              }),
              end == b.count, tf >= 1, length >= tf, let frequency = Int(exactly: tf), let total = Int(exactly: length) else {
            throw badPosting(tree)
        }
        return (frequency, total)
    }

    static func badPosting(_ tree: ProllyTree) -> GraphError {
        .invalidObject(kind: TextIndex.kind, cid: tree.root,
                       reason: "a posting is not two varints (frequency, length) of at least 1 with the frequency at most the length")
    }
}
