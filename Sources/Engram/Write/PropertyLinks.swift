import EngramIPLD
import EngramStore

/// Checks that every link in the property values a commit writes names a block in the store.
///
/// `fsck` walks a commit's closure through its nodes' and edges' property links, so a commit
/// linking to a block that is not stored would make the repository fail `fsck` from then on;
/// it is refused instead, naming the entity, the property and the CID (SPEC.md 7.4).
struct PropertyLinks {
    let store: any BlockStore
    /// CIDs already found stored (a stream often links the same blocks many times).
    private var stored: Set<CID> = []

    init(store: any BlockStore) { self.store = store }

    /// Checks the links of a change's properties.
    mutating func check(_ op: ChangeOp) throws(GraphError) {
        switch op {
        case .putNode(let n): try check(n.props, of: n.id)
        case .putEdge(let e): try check(e.props, of: e.id)
        case .deleteNode, .deleteEdge: break
        }
    }

    /// Checks the links of every node and edge a change set puts.
    mutating func check(_ changes: ChangeSet) throws(GraphError) {
        for case let node? in changes.nodes.values { try check(node.props, of: node.id) }
        for case let edge? in changes.edges.values { try check(edge.props, of: edge.id) }
    }

    private mutating func check(_ props: IPLDMap, of entity: EntityID) throws(GraphError) {
        for (key, value) in props { try check(value, entity: entity, property: key) }
    }

    private mutating func check(_ value: IPLD, entity: EntityID, property: String) throws(GraphError) {
        switch value {
        case .link(let cid):
            guard !stored.contains(cid) else { return }
            let found: Bool
            do { found = try store.has(cid) } catch { throw .wrapping(error) }
            guard found else { throw .missingLinkedBlock(entity: entity, property: property, cid: cid) }
            stored.insert(cid)
        case .list(let items):
            for item in items { try check(item, entity: entity, property: property) }
        case .map(let map):
            for (_, item) in map { try check(item, entity: entity, property: property) }
        default:
            break
        }
    }
}
