import EngramIPLD
import EngramProlly

/// Judges a query's hits against one instant through the validity tree (SPEC.md 7.10).
///
/// A query names its scope, the validity tree prefix its hits fall under (a label, a node's
/// edges); when nothing in that scope carries an interval the check is off and the query runs
/// as it would without validity. A commit written before the tree existed has none: each hit's
/// node or edge is then read and its properties checked.
struct ValidityCheck {
    /// The instant checked; nil checks nothing.
    let instant: Int64?
    /// The validity tree, or nil when the commit predates it.
    let tree: ProllyTree?
    /// The tree prefix of the query's scope.
    let scope: [UInt8]
    /// Whether any hit may fail the check.
    let active: Bool

    init(_ snapshot: GraphSnapshot, _ validAt: ValidityTime, scope: [UInt8]) throws(GraphError) {
        try self.init(snapshot, instant: validAt.instant(), scope: scope)
    }

    /// The check at `instant` (nil: none), read once by the caller.
    init(_ snapshot: GraphSnapshot, instant: Int64?, scope: [UInt8]) throws(GraphError) {
        self.init(instant: instant, tree: snapshot.index.validity, scope: scope)
        if let tree, instant != nil {
            let end = KeyOrder.prefixEnd(scope)
            if try GraphError.tree({ () throws(ProllyError) in try tree.count(from: scope, to: end) }) == 0 {
                self = ValidityCheck(instant: nil, tree: tree, scope: scope)
            }
        }
    }

    private init(instant: Int64?, tree: ProllyTree?, scope: [UInt8]) {
        self.instant = instant
        self.tree = tree
        self.scope = scope
        active = instant != nil
    }

    /// Whether the fact with validity key `key` holds at the instant; `props` reads the fact's
    /// properties, used only when the commit has no validity tree.
    func holds(_ key: [UInt8], props: () throws(GraphError) -> IPLDMap?) throws(GraphError) -> Bool {
        guard active, let instant else { return true }
        guard let tree else { return Validity.holds(try props() ?? IPLDMap(), at: instant) }
        guard let value = try GraphError.tree({ () throws(ProllyError) in try tree.get(key) }) else { return true }
        return try ValidityInterval(decoding: value, key: key).contains(instant)
    }

    /// The keys (the scope's tag removed) of the facts in scope that do not hold at the
    /// instant, or nil when the commit has no validity tree (the caller then counts by scanning).
    func closedKeys(tagLength: Int) throws(GraphError) -> [[UInt8]]? {
        guard active, let instant else { return [] }
        guard let tree else { return nil }
        var out: [[UInt8]] = []
        var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: scope) }
        while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            if try !ValidityInterval(decoding: e.value, key: e.key).contains(instant) { out.append(Array(e.key[tagLength...])) }
        }
        return out
    }
}

extension GraphSnapshot {
    /// The validity check of the nodes labelled `label`.
    func nodeValidity(_ label: String, _ validAt: ValidityTime) throws(GraphError) -> ValidityCheck {
        try ValidityCheck(self, validAt, scope: ValidityIndex.nodeTag + IndexKeys.label(label))
    }

    /// A scan's re-check that a node labelled `label` is valid (nil when none can fail).
    func nodeRecheck(_ label: String, _ validity: ValidityCheck) -> ((EntityID, [UInt8]) throws(GraphError) -> Bool)? {
        guard validity.active else { return nil }
        return { (id, _) throws(GraphError) in
            try validity.holds(ValidityIndex.nodeTag + IndexKeys.label(label, node: id)) { () throws(GraphError) in try self.node(id)?.props }
        }
    }

    /// The number of nodes labelled `label` among the closed facts of `validity` for which
    /// `counts` holds (nil: the commit has no validity tree).
    func closedNodes(_ validity: ValidityCheck, _ counts: (EntityID) throws(GraphError) -> Bool) throws(GraphError) -> UInt64? {
        guard let keys = try validity.closedKeys(tagLength: ValidityIndex.nodeTag.count) else { return nil }
        var n: UInt64 = 0
        for key in keys {
            if try counts(try IndexKeys.trailingID(key)) { n += 1 }
        }
        return n
    }
}

/// Two optional scan re-checks as one: both must pass.
func bothChecks(_ a: ((EntityID, [UInt8]) throws(GraphError) -> Bool)?,
                _ b: ((EntityID, [UInt8]) throws(GraphError) -> Bool)?) -> ((EntityID, [UInt8]) throws(GraphError) -> Bool)? {
    guard let a else { return b }
    guard let b else { return a }
    return { (id, key) throws(GraphError) in
        guard try a(id, key) else { return false }
        return try b(id, key)
    }
}
