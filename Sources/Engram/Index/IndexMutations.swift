import EngramProlly

/// The index tree mutations of a batch of node and edge changes: only keys that differ
/// between the old and new version are touched.
struct IndexMutations {
    var labels: [ProllyMutation] = []
    var props: [ProllyMutation] = []
    var out: [ProllyMutation] = []
    var `in`: [ProllyMutation] = []

    /// Records the change of one node from `old` to `new` (nil: absent).
    mutating func node(old: Node?, new: Node?) {
        if old?.label != new?.label {
            if let old { labels.append(.remove(key: IndexKeys.label(old.label, node: old.id))) }
            if let new { labels.append(.upsert(key: IndexKeys.label(new.label, node: new.id), value: .null)) }
        }
        let before = old.map { Set(IndexKeys.props(of: $0)) } ?? []
        let after = new.map { Set(IndexKeys.props(of: $0)) } ?? []
        for key in before.subtracting(after) { props.append(.remove(key: key)) }
        for key in after.subtracting(before) { props.append(.upsert(key: key, value: .null)) }
    }

    /// Records the change of one edge from `old` to `new` (nil: absent).
    mutating func edge(old: Edge?, new: Edge?) {
        if let old, let new, old.src == new.src, old.dst == new.dst, old.label == new.label { return }
        if let old {
            out.append(.remove(key: IndexKeys.out(old)))
            self.in.append(.remove(key: IndexKeys.in(old)))
        }
        if let new {
            out.append(.upsert(key: IndexKeys.out(new), value: .null))
            self.in.append(.upsert(key: IndexKeys.in(new), value: .null))
        }
    }
}
