import EngramIPLD

// Objects are equal when their encodings are: text fields compare and hash as bytes
// (``ExactText``), so a label or key respelled NFC <-> NFD is a change, as it is in the block.

extension Node {
    public static func == (a: Node, b: Node) -> Bool {
        a.id == b.id && ExactText.same(a.label, b.label) && a.props == b.props && a.unknown == b.unknown
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        ExactText.hash(label, into: &hasher)
        hasher.combine(props)
        hasher.combine(unknown)
    }
}

extension Edge {
    public static func == (a: Edge, b: Edge) -> Bool {
        a.id == b.id && a.src == b.src && a.dst == b.dst && ExactText.same(a.label, b.label) && a.props == b.props
            && a.unknown == b.unknown
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(src)
        hasher.combine(dst)
        ExactText.hash(label, into: &hasher)
        hasher.combine(props)
        hasher.combine(unknown)
    }
}

extension UnknownField {
    public static func == (a: UnknownField, b: UnknownField) -> Bool { ExactText.same(a.key, b.key) && a.value == b.value }

    public func hash(into hasher: inout Hasher) {
        ExactText.hash(key, into: &hasher)
        hasher.combine(value)
    }
}

extension Commit {
    public static func == (a: Commit, b: Commit) -> Bool {
        a.parents == b.parents && a.nodes == b.nodes && a.edges == b.edges && a.indexes == b.indexes && a.time == b.time
            && ExactText.same(a.author, b.author) && ExactText.same(a.message, b.message) && ExactText.same(a.agent, b.agent)
            && a.signature == b.signature && a.unknown == b.unknown
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parents)
        hasher.combine(nodes)
        hasher.combine(edges)
        hasher.combine(indexes)
        hasher.combine(time)
        ExactText.hash(author, into: &hasher)
        ExactText.hash(message, into: &hasher)
        ExactText.hash(agent, into: &hasher)
        hasher.combine(signature)
        hasher.combine(unknown)
    }
}

extension Neighbor {
    public static func == (a: Neighbor, b: Neighbor) -> Bool {
        a.node == b.node && a.edge == b.edge && ExactText.same(a.label, b.label)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(node)
        hasher.combine(edge)
        ExactText.hash(label, into: &hasher)
    }
}

extension CommitInfo {
    public static func == (a: CommitInfo, b: CommitInfo) -> Bool {
        ExactText.same(a.author, b.author) && ExactText.same(a.message, b.message) && ExactText.same(a.agent, b.agent)
            && a.time == b.time
    }

    public func hash(into hasher: inout Hasher) {
        ExactText.hash(author, into: &hasher)
        ExactText.hash(message, into: &hasher)
        ExactText.hash(agent, into: &hasher)
        hasher.combine(time)
    }
}
