import EngramIPLD

/// A receiver's request for blocks (SPEC.md 9.3): the commits it wants, commits it has, and,
/// when it resumes a cut transfer, the frontier (blocks it still lacks below what it received).
///
/// Encoded as `{haves: [link], wants: [link], frontier: [link], version: 1}`.
public struct FetchRequest: Hashable, Sendable {
    /// The commits the receiver wants with their whole closure.
    public var wants: [CID]
    /// Commits the receiver holds with their closure; the sender skips what they reach.
    public var haves: [CID]
    /// When not empty, a resumption: send only these blocks and what they reach that the
    /// original transfer would have sent.
    public var frontier: [CID]

    /// A request for `wants`, skipping what `haves` reach; resuming from `frontier` when not empty.
    public init(wants: [CID], haves: [CID] = [], frontier: [CID] = []) {
        self.wants = wants
        self.haves = haves
        self.frontier = frontier
    }

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        MessageCoding.encode([("wants", .list(wants.map { .link($0) })), ("haves", .list(haves.map { .link($0) })),
                              ("frontier", .list(frontier.map { .link($0) }))])
    }

    /// The request `bytes` encode, or ``SyncError/malformedMessage(what:reason:)``.
    public static func decode(_ bytes: [UInt8]) throws(SyncError) -> FetchRequest {
        let what = "fetch request"
        let map = try MessageCoding.decode(bytes, what: what)
        let wants = try MessageCoding.links(map, "wants", what: what)
        guard !wants.isEmpty else { throw .malformedMessage(what: what, reason: "'wants' is empty") }
        return FetchRequest(wants: wants, haves: try MessageCoding.links(map, "haves", what: what),
                            frontier: try MessageCoding.links(map, "frontier", what: what, required: false))
    }
}
