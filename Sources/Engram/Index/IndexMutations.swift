import EngramProlly

/// The index tree mutations of node and edge changes: only keys that differ between the old
/// and new version are touched.
enum IndexMutations {
    /// The labels tree mutations of one node going from `old` to `new` (nil: absent).
    static func labels(old: Node?, new: Node?, into m: inout [ProllyMutation]) {
        if ExactText.same(old?.label, new?.label) { return }
        if let old { m.append(.remove(key: IndexKeys.label(old.label, node: old.id))) }
        if let new { m.append(.upsert(key: IndexKeys.label(new.label, node: new.id), value: .null)) }
    }

    /// The props tree mutations of one node going from `old` to `new`.
    static func props(old: Node?, new: Node?, into m: inout [ProllyMutation]) {
        guard let old else {
            if let new { for key in IndexKeys.props(of: new) { m.append(.upsert(key: key, value: .null)) } }
            return
        }
        let before = Set(IndexKeys.props(of: old))
        let after = new.map { Set(IndexKeys.props(of: $0)) } ?? []
        for key in before.subtracting(after) { m.append(.remove(key: key)) }
        for key in after.subtracting(before) { m.append(.upsert(key: key, value: .null)) }
    }

    /// The out (`out`) or in tree mutations of one edge going from `old` to `new`.
    static func adjacency(old: Edge?, new: Edge?, out: Bool, into m: inout [ProllyMutation]) {
        if let old, let new, old.src == new.src, old.dst == new.dst, ExactText.same(old.label, new.label) { return }
        if let old { m.append(.remove(key: out ? IndexKeys.out(old) : IndexKeys.in(old))) }
        if let new { m.append(.upsert(key: out ? IndexKeys.out(new) : IndexKeys.in(new), value: .null)) }
    }
}
