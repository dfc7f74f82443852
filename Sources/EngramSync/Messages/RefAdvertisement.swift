import EngramIPLD
import EngramStorage

/// What a repository offers: its branches and where `HEAD` points (SPEC.md 9.2).
///
/// Encoded as `{head: string | null, refs: {name: link}, version: 1}`; only `refs/heads/*`
/// names appear, each with the commit it holds.
public struct RefAdvertisement: Hashable, Sendable {
    /// The branch `HEAD` names (`refs/heads/main`), or nil when it is detached or unset.
    public var head: String?
    /// Every branch and its commit, sorted by name.
    public var refs: [(name: String, target: CID)]

    /// An advertisement of `refs` (sorted here) with `HEAD` naming `head`.
    public init(head: String?, refs: [(name: String, target: CID)]) {
        self.head = head
        self.refs = refs.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// The commit `name` holds, if advertised.
    public func target(of name: String) -> CID? { refs.first { $0.name == name }?.target }

    public static func == (a: Self, b: Self) -> Bool {
        a.head == b.head && a.refs.elementsEqual(b.refs) { $0.name == $1.name && $0.target == $1.target }
    }

    public func hash(into h: inout Hasher) {
        h.combine(head)
        for r in refs { h.combine(r.name); h.combine(r.target) }
    }

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        let map = IPLDMap(uniqueKeysWithValues: refs.map { ($0.name, IPLD.link($0.target)) })
        return MessageCoding.encode([("head", head.map { .string($0) } ?? .null), ("refs", .map(map))])
    }

    /// Decodes and checks a message: every name a valid branch ref, every target a link.
    public static func decode(_ bytes: [UInt8]) throws(SyncError) -> RefAdvertisement {
        let what = "ref advertisement"
        let map = try MessageCoding.decode(bytes, what: what)
        let head: String?
        switch map["head"] {
        case .string(let s)?: head = s
        case .null?: head = nil
        default: throw .malformedMessage(what: what, reason: "'head' is neither a string nor null")
        }
        guard case .map(let entries)? = map["refs"] else { throw .malformedMessage(what: what, reason: "no 'refs' map") }
        guard entries.count <= MessageCoding.maxListCount else {
            throw .malformedMessage(what: what, reason: "\(entries.count) refs, over \(MessageCoding.maxListCount)")
        }
        var refs: [(name: String, target: CID)] = []
        for (name, value) in entries {
            guard name.hasPrefix("refs/heads/"), (try? RefName.validate(name)) != nil else {
                throw .malformedMessage(what: what, reason: "'\(name)' is not a branch ref")
            }
            guard let cid = value.linkValue else { throw .malformedMessage(what: what, reason: "ref '\(name)' is not a link") }
            refs.append((name, cid))
        }
        if let head, !head.hasPrefix("refs/heads/") || (try? RefName.validate(head)) == nil {
            throw .malformedMessage(what: what, reason: "'head' names '\(head)', not a branch ref")
        }
        return RefAdvertisement(head: head, refs: refs)
    }
}
