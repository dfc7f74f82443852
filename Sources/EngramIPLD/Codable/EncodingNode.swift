/// One value of the tree an `IPLDEncoder` builds. Containers hold the node of the value they
/// fill, so nested containers and super-encoders can keep writing after they are handed out.
final class EncodingNode {
    enum Kind: String { case empty, value, map, list }

    var kind = Kind.empty
    var value = IPLD.null
    var entries: [(key: String, slot: EncodingSlot)] = []
    var items: [EncodingSlot] = []

    /// The finished value. A node nobody wrote to (an empty super-encoder) is an empty map,
    /// as it is in `JSONEncoder`.
    func finish() -> IPLD {
        switch kind {
        case .empty: return .map(IPLDMap())
        case .value: return value
        case .list: return .list(items.map { $0.finish() })
        case .map: return .map(Self.canonicalMap(entries))
        }
    }

    /// Sorts the entries into canonical key order; a key written twice keeps its last value.
    static func canonicalMap(_ entries: [(key: String, slot: EncodingSlot)]) -> IPLDMap {
        // Sort positions, ties by position, so "last value wins" does not depend on sort stability.
        let order = entries.indices.sorted { a, b in
            if IPLDMap.keyPrecedes(entries[a].key, entries[b].key) { return true }
            if IPLDMap.keyPrecedes(entries[b].key, entries[a].key) { return false }
            return a < b
        }
        var result: [(key: String, value: IPLD)] = []
        result.reserveCapacity(order.count)
        for (n, i) in order.enumerated() {
            if n + 1 < order.count, IPLDMap.keyEquals(entries[i].key, entries[order[n + 1]].key) { continue }
            result.append((entries[i].key, entries[i].slot.finish()))
        }
        return IPLDMap(canonicalEntries: result)
    }
}

/// A map entry or list element: a finished value, or a node still being filled.
enum EncodingSlot {
    case value(IPLD)
    case node(EncodingNode)

    func finish() -> IPLD {
        switch self {
        case .value(let value): value
        case .node(let node): node.finish()
        }
    }
}
