import EngramIPLD
import EngramStorage

extension TextIndexConfig {
    /// The `_kind` of the block a commit's index set links as `text` (SPEC.md 7.11).
    static let kind = "text_index"

    /// The canonical DAG-CBOR bytes of the `text_index` block:
    /// `{_kind, properties, fold_diacritics}`, with `unknown` fields kept.
    public func encode(unknown: [UnknownField] = []) -> [UInt8] {
        var w = ObjectWriter(knownCount: 3, unknown: unknown, capacity: 96)
        w.key("_kind")
        w.writer.writeString(Self.kind)
        w.key("properties")
        if let names = properties {
            w.writer.beginList(count: names.count)
            for n in names { w.writer.writeString(n) }
        } else {
            w.writer.writeNull()
        }
        w.key("fold_diacritics")
        w.writer.writeBool(foldsDiacritics)
        return w.finish()
    }

    /// The block of this configuration, hashed with `function`.
    public func block(hashedWith function: HashFunction, unknown: [UnknownField] = []) -> Block {
        let bytes = encode(unknown: unknown)
        return Block(unchecked: CID(hashing: bytes, codec: .dagCBOR, function: function), bytes: bytes)
    }

    /// Decodes a `text_index` block, keeping fields written by a newer version.
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> (config: TextIndexConfig, unknown: [UnknownField]) {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> (TextIndexConfig, [UnknownField]) in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var fold: Bool?, hasKind = false, hasProperties = false
            var properties: [String]?
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "properties":
                    hasProperties = true
                    if !r.readNullIfPresent() {
                        let count = try r.readListHeader()
                        var names: [String] = []
                        for _ in 0..<count { names.append(try r.readString()) }
                        properties = names
                    }
                case "fold_diacritics": fold = try r.readBool()
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("_kind", hasKind), ("properties", hasProperties), ("fold_diacritics", fold != nil)], at: 0)
            let config = TextIndexConfig(properties: properties, foldsDiacritics: fold ?? false)
            // One encoding per configuration: the names must already be sorted and unique.
            if let properties, properties.count != config.properties?.count
                || !zip(properties, config.properties ?? []).allSatisfy({ ExactText.same($0, $1) }) {
                throw DAGCBORError(.valueOutOfRange("properties must be sorted bytewise without repeats"), at: 0)
            }
            return (config, o.unknown)
        }
    }
}
