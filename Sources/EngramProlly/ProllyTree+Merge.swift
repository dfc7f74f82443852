import EngramIPLD

/// A key changed on both sides of a merge to different results.
public struct ProllyMergeConflict: Hashable, Sendable {
    /// The key changed on both sides.
    public var key: [UInt8]
    /// The value in the common ancestor (nil: absent).
    public var base: ProllyValue?
    /// The value on the left (nil: deleted or absent).
    public var left: ProllyValue?
    /// The value on the right (nil: deleted or absent).
    public var right: ProllyValue?
}

/// What a merge resolver decides for a key changed on both sides.
public enum ProllyMergeResolution: Hashable, Sendable {
    /// Keep the left side's result.
    case left
    /// Take the right side's result.
    case right
    /// Store this value.
    case value(ProllyValue)
    /// Remove the key.
    case delete
    /// Leave it unresolved: reported in ``ProllyMergeResult/conflicts``, the left result kept.
    case conflict
}

/// The outcome of a 3-way merge.
public struct ProllyMergeResult: Sendable {
    /// The merged tree (with the left result at every unresolved conflict).
    public let tree: ProllyTree
    /// The keys the resolver reported as conflicts, in key order.
    public let conflicts: [ProllyMergeConflict]
}

extension ProllyTree {
    /// Merges the changes from `base` to `left` and from `base` to `right`.
    ///
    /// A change made on one side only is taken (deletes included); the same change on both is
    /// taken once; a key changed on both sides to different results goes to `resolve`. The two
    /// diffs are walked once, skipping shared subtrees, and the smaller set of changes is applied
    /// as one batch to the other side, so every untouched subtree is reused, not re-inserted.
    public static func merge(
        base: ProllyTree, left: ProllyTree, right: ProllyTree,
        resolve: (ProllyMergeConflict) -> ProllyMergeResolution = { _ in .conflict }
    ) throws(ProllyError) -> ProllyMergeResult {
        if left.root == right.root || right.root == base.root {
            return ProllyMergeResult(tree: left, conflicts: [])
        }
        if left.root == base.root { return ProllyMergeResult(tree: right, conflicts: []) }
        var leftChanges = try base.diff(to: left)
        var rightChanges = try base.diff(to: right)
        var toLeft: [ProllyMutation] = []
        var toRight: [ProllyMutation] = []
        var conflicts: [ProllyMergeConflict] = []

        func mutation(_ key: [UInt8], _ value: ProllyValue?) -> ProllyMutation {
            value.map { .upsert(key: key, value: $0) } ?? .remove(key: key)
        }

        var l = try leftChanges.next()
        var r = try rightChanges.next()
        while l != nil || r != nil {
            let c = l == nil ? 1 : r == nil ? -1 : KeyOrder.compare(l!.key, r!.key)
            if c < 0 {
                toRight.append(mutation(l!.key, l!.change.new))
                l = try leftChanges.next()
            } else if c > 0 {
                toLeft.append(mutation(r!.key, r!.change.new))
                r = try rightChanges.next()
            } else {
                let key = l!.key
                let newLeft = l!.change.new
                let newRight = r!.change.new
                if newLeft != newRight {
                    let conflict = ProllyMergeConflict(key: key, base: l!.change.old, left: newLeft, right: newRight)
                    switch resolve(conflict) {
                    case .left: toRight.append(mutation(key, newLeft))
                    case .right: toLeft.append(mutation(key, newRight))
                    case .value(let v):
                        toLeft.append(.upsert(key: key, value: v))
                        toRight.append(.upsert(key: key, value: v))
                    case .delete:
                        toLeft.append(.remove(key: key))
                        toRight.append(.remove(key: key))
                    case .conflict:
                        conflicts.append(conflict)
                        toRight.append(mutation(key, newLeft))
                    }
                }
                l = try leftChanges.next()
                r = try rightChanges.next()
            }
        }
        // Both batches reach the same entries, hence the same root: apply the smaller one.
        let merged = toLeft.count <= toRight.count ? try left.applying(toLeft) : try right.applying(toRight)
        return ProllyMergeResult(tree: merged, conflicts: conflicts)
    }
}
