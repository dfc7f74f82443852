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

    /// A count (frequency, length) as a value: its unsigned LEB128 varint (SPEC 1.1).
    static func count(_ n: Int) -> ProllyValue {
        var v = UInt64(clamping: n), out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
        return .bytes(out)
    }

    /// Reads a count value; it must be a minimal varint of at least 1.
    static func readCount(_ value: ProllyValue, in tree: ProllyTree) throws(GraphError) -> Int {
        guard case .bytes(let b) = value, let (n, used) = try? Varint.decode(b), used == b.count, n >= 1,
              let count = Int(exactly: n) else {
            throw .invalidObject(kind: "text_index", cid: tree.root, reason: "a count is not a varint of at least 1")
        }
        return count
    }
}
