import EngramIPLD

extension ProllyStorage {
    /// Branch `parent`'s child `i`, checked to fit under it: one level down, not empty, and
    /// holding the entries the parent's count says. A node decodes on its own (``NodeCodec``);
    /// these are the facts only its parent can vouch for, and the walks rely on them (a cursor
    /// indexes into the child, `select` follows the counts), so a block put by hand that breaks
    /// them is ``ProllyError/invalidNode(_:reason:)``, not a trap or a wrong answer.
    @inlinable
    public func child(of parent: ProllyNode, at i: Int) throws(ProllyError) -> ProllyNode {
        let cid = parent.child(at: i)
        let node = try node(cid)
        guard node.level == parent.level - 1 else {
            throw .invalidNode(cid, reason: "level \(node.level) as child \(i) of a level-\(parent.level) branch \(parent.cid)")
        }
        guard node.count > 0 else {
            throw .invalidNode(cid, reason: "an empty node as child \(i) of branch \(parent.cid)")
        }
        let count = parent.childEntryCount(at: i)
        guard node.entryCount == count else {
            throw .invalidNode(parent.cid, reason: "count \(i) is \(count), the child \(cid) holds \(node.entryCount)")
        }
        return node
    }
}
