import EngramIPLD

/// The links inside a block, by its codec: DAG-CBOR and DAG-JSON blocks are decoded; raw and
/// unknown codecs have none.
public enum BlockLinks {
    /// The CIDs `bytes` (the block `cid`) links to, in the order they appear.
    public static func of(_ cid: CID, bytes: [UInt8]) throws -> [CID] {
        switch cid.codec {
        case .dagCBOR:
            return try DAGCBOR.links(in: bytes)
        case .dagJSON:
            var out: [CID] = []
            collect(try DAGJSON.decode(bytes), into: &out)
            return out
        default:
            return []
        }
    }

    private static func collect(_ v: IPLD, into out: inout [CID]) {
        switch v {
        case .link(let c): out.append(c)
        case .list(let items): for i in items { collect(i, into: &out) }
        case .map(let m): for (_, value) in m { collect(value, into: &out) }
        default: break
        }
    }

    /// Walks the closure of `roots` breadth-first, skipping CIDs in `stop`; `missing` gets
    /// every linked CID that is not stored; `progress`, if given, the number reached so far
    /// every 4096 blocks. Returns every CID reached (and stored).
    public static func closure(of roots: [CID], in store: some BlockStore, stop: Set<CID> = [],
                               missing: (CID, CID?) -> Void = { _, _ in },
                               progress: ((Int) -> Void)? = nil) throws -> Set<CID> {
        var seen = Set<CID>()
        var queue: [(CID, CID?)] = roots.map { ($0, nil) }
        while let (cid, parent) = queue.popLast() {
            if stop.contains(cid) || seen.contains(cid) { continue }
            guard let bytes = try store.get(cid) else {
                missing(cid, parent)
                continue
            }
            seen.insert(cid)
            if let progress, seen.count % 4096 == 0 { progress(seen.count) }
            for link in try of(cid, bytes: bytes) where !seen.contains(link) && !stop.contains(link) {
                queue.append((link, cid))
            }
        }
        return seen
    }
}
