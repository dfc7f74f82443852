import EngramIPLD

/// Packs fused hits and their expansions under a budget (SPEC.md 7.13): hits best first, each
/// followed by the nodes its expansion reaches (nearest first); an item that does not fit is
/// dropped and packing goes on with the next, so a smaller item further down may still fit.
struct RecallPacker {
    let snapshot: GraphSnapshot
    let request: RecallRequest
    let filter: ResolvedNodeFilter
    private(set) var items: [RecallItem] = []
    private(set) var dropped: [DroppedItem] = []
    private(set) var used = 0
    /// Item index of each node already returned, so a second way to it adds a reason instead.
    private var placed: [EntityID: Int] = [:]

    init(snapshot: GraphSnapshot, request: RecallRequest, filter: ResolvedNodeFilter) {
        self.snapshot = snapshot
        self.request = request
        self.filter = filter
    }

    mutating func pack(_ fused: [RankFusion.Fused]) throws(GraphError) {
        for hit in fused {
            if let at = placed[hit.id] {
                items[at].reasons.append(contentsOf: hit.reasons)
                continue
            }
            guard let node = try snapshot.node(hit.id) else { throw .nodeNotFound(hit.id) }
            guard try place(node, score: hit.score, reasons: hit.reasons) else { continue }
            if let expansion = request.expansion { try expand(from: node.id, score: hit.score, expansion) }
        }
    }

    /// Adds `node` if it fits; returns whether it did.
    private mutating func place(_ node: Node, score: Double, reasons: [RecallReason]) throws(GraphError) -> Bool {
        let cost = request.budget.cost(ofBytes: try Self.encodedSize(node))
        guard cost <= request.budget.limit - used else {
            dropped.append(DroppedItem(id: node.id, score: score, reasons: reasons, cost: cost))
            return false
        }
        used += cost
        placed[node.id] = items.count
        items.append(RecallItem(node: node, score: score, reasons: reasons, cost: cost))
        return true
    }

    /// Breadth-first from `start` along the chosen edges, at most `hops` away and `perHit` nodes;
    /// edges and nodes closed at the filter's instant are not followed.
    private mutating func expand(from start: EntityID, score: Double, _ e: RecallExpansion) throws(GraphError) {
        var frontier: [(node: EntityID, path: [EntityID])] = [(start, [])]
        var visited: Set<EntityID> = [start]
        var reached = 0
        let directions: [Direction] = e.direction == .both ? [.out, .in] : [e.direction]
        // The scan leaves out edges closed at the instant (SPEC.md 7.10).
        let validAt: ValidityTime = filter.instant.map { .at($0) } ?? .any
        for hops in 1...e.hops {
            var next: [(node: EntityID, path: [EntityID])] = []
            for (from, path) in frontier {
                for d in directions {
                    var scan = try snapshot.neighbors(from, d, validAt: validAt)
                    while let n = try scan.next() {
                        guard reached < e.perHit else { return }
                        guard e.edgeLabels.isEmpty || e.edgeLabels.contains(where: { ExactText.same($0, n.label) }),
                              visited.insert(n.node).inserted else { continue }
                        guard let node = try snapshot.node(n.node), Validity.holds(node.props, at: filter.instant) else { continue }
                        let way = path + [n.edge]
                        next.append((n.node, way))
                        reached += 1
                        let reason = RecallReason.expansion(from: start, path: way, hops: hops)
                        if let at = placed[n.node] {
                            items[at].reasons.append(reason)
                        } else {
                            _ = try place(node, score: score / Double(hops + 1), reasons: [reason])
                        }
                    }
                }
            }
            frontier = next
        }
    }

    /// The bytes of the node as compact DAG-JSON, what an agent would be handed.
    static func encodedSize(_ node: Node) throws(GraphError) -> Int {
        do {
            return try DAGJSON.encode(GraphJSON.value(node), maxDepth: .max).count
        } catch {
            throw .invalidObject(kind: "node", cid: nil, reason: .cause(error, "\(node.id) cannot be written as JSON"))
        }
    }
}
