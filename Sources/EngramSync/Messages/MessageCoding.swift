import EngramIPLD

/// The framing every sync message shares: one DAG-CBOR map with a `version` (1), read with
/// limits, every field checked before use.
enum MessageCoding {
    static let version = 1
    /// Messages are small (refs and CID lists); anything bigger is refused unread.
    static let maxBytes = 4 << 20
    /// At most this many CIDs in one list (wants, haves, frontier, updates).
    static let maxListCount = 1 << 16

    static func encode(_ fields: [(String, IPLD)]) -> [UInt8] {
        let map = IPLDMap(uniqueKeysWithValues: fields + [("version", .int(version))])
        // Every value is built here from valid CIDs and strings: encoding cannot fail.
        return (try? DAGCBOR.encode(.map(map))) ?? []
    }

    /// The fields of message `what`, after checking size, codec and version.
    static func decode(_ bytes: [UInt8], what: String) throws(SyncError) -> IPLDMap {
        guard bytes.count <= maxBytes else {
            throw .malformedMessage(what: what, reason: "\(bytes.count) bytes, over the \(maxBytes)-byte limit")
        }
        let value: IPLD
        do { value = try DAGCBOR.decode(bytes) } catch {
            throw .malformedMessage(what: what, reason: "not DAG-CBOR: \(error)")
        }
        guard case .map(let map) = value else { throw .malformedMessage(what: what, reason: "not a map") }
        guard let v = map["version"]?.integerValue?.int64 else {
            throw .malformedMessage(what: what, reason: "no integer version")
        }
        guard v == Int64(version) else {
            throw .malformedMessage(what: what, reason: "version \(v), this Engram speaks version \(version)")
        }
        return map
    }

    static func links(_ map: IPLDMap, _ key: String, what: String, required: Bool = true) throws(SyncError) -> [CID] {
        guard let value = map[key] else {
            if required { throw .malformedMessage(what: what, reason: "no '\(key)' list") }
            return []
        }
        guard case .list(let items) = value else { throw .malformedMessage(what: what, reason: "'\(key)' is not a list") }
        guard items.count <= maxListCount else {
            throw .malformedMessage(what: what, reason: "'\(key)' has \(items.count) entries, over \(maxListCount)")
        }
        var out: [CID] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let cid = item.linkValue else { throw .malformedMessage(what: what, reason: "'\(key)'[\(i)] is not a link") }
            out.append(cid)
        }
        return out
    }

    static func string(_ map: IPLDMap, _ key: String, what: String) throws(SyncError) -> String {
        guard let s = map[key]?.stringValue else { throw .malformedMessage(what: what, reason: "no '\(key)' string") }
        return s
    }

    /// A link, or nil for an explicit null.
    static func optionalLink(_ map: IPLDMap, _ key: String, what: String) throws(SyncError) -> CID? {
        switch map[key] {
        case .link(let c)?: return c
        case .null?: return nil
        default: throw .malformedMessage(what: what, reason: "'\(key)' is neither a link nor null")
        }
    }

    static func list(_ map: IPLDMap, _ key: String, what: String) throws(SyncError) -> [IPLD] {
        guard case .list(let items)? = map[key] else { throw .malformedMessage(what: what, reason: "no '\(key)' list") }
        guard items.count <= maxListCount else {
            throw .malformedMessage(what: what, reason: "'\(key)' has \(items.count) entries, over \(maxListCount)")
        }
        return items
    }

    static func map(_ value: IPLD, what: String) throws(SyncError) -> IPLDMap {
        guard case .map(let m) = value else { throw .malformedMessage(what: what, reason: "an entry is not a map") }
        return m
    }

    static func linkOrNull(_ cid: CID?) -> IPLD { cid.map { .link($0) } ?? .null }
}
