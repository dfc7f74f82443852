import EngramIPLD
import EngramStorage

/// The ref changes a push asks for (SPEC.md 9.4): each moves a branch by compare-and-swap
/// from the target the sender last saw to a commit whose closure the push's blocks complete.
///
/// Encoded as `{updates: [{ref: string, expected: link | null, new: link}], version: 1}`.
public struct PushRequest: Hashable, Sendable {
    /// One ref moved by a push.
    public struct Update: Hashable, Sendable {
        /// The branch ref (`refs/heads/<name>`).
        public var ref: String
        /// What the ref must hold now (nil: it must not exist).
        public var expected: CID?
        /// The commit it moves to.
        public var new: CID
        /// Move even when `new` does not descend from the current target (still compare-and-swap).
        public var force: Bool

        /// Moves `ref` from `expected` (nil: absent) to `new`; `force` allows a move that does not fast-forward.
        public init(ref: String, expected: CID?, new: CID, force: Bool = false) {
            self.ref = ref
            self.expected = expected
            self.new = new
            self.force = force
        }
    }

    /// The ref changes, applied all or none.
    public var updates: [Update]

    /// A push of `updates`.
    public init(updates: [Update]) { self.updates = updates }

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        let items: [IPLD] = updates.map { u in
            .map(IPLDMap(uniqueKeysWithValues: [("ref", .string(u.ref)), ("expected", MessageCoding.linkOrNull(u.expected)),
                                                ("new", .link(u.new)), ("force", .bool(u.force))]))
        }
        return MessageCoding.encode([("updates", .list(items))])
    }

    /// The request `bytes` encode, or ``SyncError/malformedMessage(what:reason:)``.
    public static func decode(_ bytes: [UInt8]) throws(SyncError) -> PushRequest {
        let what = "push request"
        let map = try MessageCoding.decode(bytes, what: what)
        var updates: [Update] = []
        var seen = Set<String>()
        for item in try MessageCoding.list(map, "updates", what: what) {
            let m = try MessageCoding.map(item, what: what)
            let ref = try MessageCoding.string(m, "ref", what: what)
            guard ref.hasPrefix("refs/heads/"), (try? RefName.validate(ref)) != nil else {
                throw .malformedMessage(what: what, reason: "'\(ref)' is not a branch ref")
            }
            guard seen.insert(ref).inserted else { throw .malformedMessage(what: what, reason: "'\(ref)' is updated twice") }
            guard let new = m["new"]?.linkValue else { throw .malformedMessage(what: what, reason: "'new' of '\(ref)' is not a link") }
            let force: Bool
            switch m["force"] {
            case nil: force = false
            case .bool(let b)?: force = b
            default: throw .malformedMessage(what: what, reason: "'force' of '\(ref)' is not a boolean")
            }
            updates.append(Update(ref: ref, expected: try MessageCoding.optionalLink(m, "expected", what: what),
                                  new: new, force: force))
        }
        guard !updates.isEmpty else { throw .malformedMessage(what: what, reason: "'updates' is empty") }
        return PushRequest(updates: updates)
    }
}
