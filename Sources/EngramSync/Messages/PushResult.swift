import EngramIPLD

/// The receiver's answer to a push (SPEC.md 9.4): every ref with its target after the push.
/// A push is all or nothing: either every update applied (`applied`), or none did and
/// `current` shows what the refs hold (HTTP 412 when a ref moved).
///
/// Encoded as `{applied: bool, refs: [{ref: string, current: link | null}], received: int, version: 1}`.
public struct PushResult: Hashable, Sendable {
    /// Whether every update applied (a push is all or nothing).
    public var applied: Bool
    /// Each updated ref and what it holds now.
    public var refs: [(ref: String, current: CID?)]
    /// How many blocks the receiver took from the push.
    public var received: Int

    /// A result naming each ref's target after the push.
    public init(applied: Bool, refs: [(ref: String, current: CID?)], received: Int) {
        self.applied = applied
        self.refs = refs
        self.received = received
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.applied == b.applied && a.received == b.received
            && a.refs.elementsEqual(b.refs) { $0.ref == $1.ref && $0.current == $1.current }
    }

    public func hash(into h: inout Hasher) {
        h.combine(applied)
        h.combine(received)
        for r in refs { h.combine(r.ref); h.combine(r.current) }
    }

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        let items: [IPLD] = refs.map { r in
            .map(IPLDMap(uniqueKeysWithValues: [("ref", .string(r.ref)), ("current", MessageCoding.linkOrNull(r.current))]))
        }
        return MessageCoding.encode([("applied", .bool(applied)), ("refs", .list(items)), ("received", .int(received))])
    }

    /// The result `bytes` encode, or ``SyncError/malformedMessage(what:reason:)``.
    public static func decode(_ bytes: [UInt8]) throws(SyncError) -> PushResult {
        let what = "push result"
        let map = try MessageCoding.decode(bytes, what: what)
        guard let applied = map["applied"]?.boolValue else { throw .malformedMessage(what: what, reason: "no 'applied' boolean") }
        guard let received = map["received"]?.integerValue?.int64, let n = Int(exactly: received), n >= 0 else {
            throw .malformedMessage(what: what, reason: "no non-negative 'received' count")
        }
        var refs: [(ref: String, current: CID?)] = []
        for item in try MessageCoding.list(map, "refs", what: what) {
            let m = try MessageCoding.map(item, what: what)
            refs.append((try MessageCoding.string(m, "ref", what: what), try MessageCoding.optionalLink(m, "current", what: what)))
        }
        return PushResult(applied: applied, refs: refs, received: n)
    }
}
