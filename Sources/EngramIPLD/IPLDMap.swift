/// A map with text keys, kept in DAG-CBOR's canonical key order (shorter UTF-8 first, then
/// bytewise), so encoding it never sorts. Keys compare as bytes, never as Unicode-equivalent text.
public struct IPLDMap: Sendable {
    /// The entries, in canonical order, keys unique.
    public private(set) var entries: [(key: String, value: IPLD)]

    /// An empty map.
    public init() { entries = [] }

    /// A map of `elements`; a repeated key is a programming error and traps, as with `Dictionary`.
    public init(uniqueKeysWithValues elements: some Sequence<(String, IPLD)>) {
        var sorted = elements.map { (key: $0.0, value: $0.1) }
        sorted.sort { Self.keyPrecedes($0.key, $1.key) }
        for i in sorted.indices.dropFirst() {
            precondition(!Self.keyEquals(sorted[i - 1].key, sorted[i].key), "duplicate IPLD map key \(sorted[i].key)")
        }
        entries = sorted
    }

    /// A map from entries already in canonical order with unique keys (the decoder checks this).
    @usableFromInline
    init(canonicalEntries: [(key: String, value: IPLD)]) {
        entries = canonicalEntries
    }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys, in the map's order.
    public var keys: [String] { entries.map(\.key) }

    /// The value for `key`; setting nil removes the entry.
    public subscript(key: String) -> IPLD? {
        get {
            let (index, found) = position(of: key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?): entries.insert((key, value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Binary search in canonical order.
    func position(of key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if Self.keyPrecedes(entries[mid].key, key) {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return (low, low < entries.count && Self.keyEquals(entries[low].key, key))
    }

    /// DAG-CBOR key order: shorter UTF-8 first, then bytewise.
    public static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        if x.count != y.count { return x.count < y.count }
        return x.lexicographicallyPrecedes(y)
    }

    static func keyEquals(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}

extension IPLDMap: Sequence {
    public func makeIterator() -> IndexingIterator<[(key: String, value: IPLD)]> { entries.makeIterator() }
}

extension IPLDMap: Hashable {
    public static func == (a: IPLDMap, b: IPLDMap) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { keyEquals($0.key, $1.key) && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for (key, value) in entries {
            for b in key.utf8 { hasher.combine(b) }
            hasher.combine(value)
        }
    }
}

extension IPLDMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, IPLD)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}
