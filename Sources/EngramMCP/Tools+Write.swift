import Engram
import EngramIPLD
import EngramStorage
import MCP

extension EngramTools {
    static let writeTools: [ToolSpec] = [
        ToolSpec("engram_remember", """
            Store facts in memory as one commit: nodes (entities, each with a label and properties) and edges \
            (labelled relations between nodes). Give a node a 'key' (a property name) to find-or-create it: an existing \
            node with the same label and the same value of that property is updated (its other properties kept) instead \
            of duplicated. Give nodes a 'ref' to connect them by edges in the same call; edges name their ends by ref or \
            by node id. Returns the commit and each node's id (with created true/false). If another process changed the \
            same properties meanwhile, nothing is committed and the conflicts are returned as data.
            """,
            Schema.merging([
                "nodes": Schema.array(Schema.object([
                    "label": Schema.string("The node's kind, e.g. 'Person', 'Project', 'Fact'."),
                    "props": Schema.properties("The node's properties (any JSON values)."),
                    "key": Schema.string("Find-or-create by this property: reuse the node with this label whose property has the same value."),
                    "ref": Schema.string("A name for this node within this call, for edges to refer to."),
                    "id": Schema.string("Write this node id (a UUID): updates that node if it exists."),
                ], required: ["label"]), "Nodes to create or update."),
                "edges": Schema.array(Schema.object([
                    "src": Schema.string("The source node: a ref from 'nodes' or a node id."),
                    "label": Schema.string("The relation, e.g. 'works_on', 'knows'."),
                    "dst": Schema.string("The destination node: a ref from 'nodes' or a node id."),
                    "props": Schema.properties("The edge's properties."),
                ], required: ["src", "label", "dst"]), "Edges to create."),
            ], Schema.commit), readOnly: false) { tools, args throws(ToolError) in try tools.remember(args) },
        ToolSpec("engram_update", """
            Change one node or edge by id as one commit: 'set' properties (others kept), 'unset' property names, \
            or change its 'label'. Conflicts with a concurrent change of the same property come back as data.
            """,
            Schema.merging([
                "id": Schema.id,
                "set": Schema.properties("Properties to set (others are kept)."),
                "unset": Schema.array(["type": "string"], "Property names to remove."),
                "label": Schema.string("A new label."),
            ], Schema.commit), required: ["id"], readOnly: false) { tools, args throws(ToolError) in try tools.update(args) },
        ToolSpec("engram_forget", """
            Delete nodes or edges by id, as one commit (deleting a node deletes its edges). Honest scope: this removes \
            them from the branch head only. History keeps them: engram_get with 'at' set to an earlier revision still \
            returns them, and engram_revert of this commit brings them back. Nothing in this server erases history.
            """,
            Schema.merging(["ids": Schema.array(["type": "string"], "Node or edge ids to delete.")], Schema.commit),
            required: ["ids"], readOnly: false, destructive: true) { tools, args throws(ToolError) in try tools.forget(args) },
        ToolSpec("engram_supersede", """
            Mark a fact (node or edge) as no longer valid without deleting it: its 'valid_to' is set to 'time' \
            (microseconds since the epoch, default now), so recall and time-aware reads leave it out from then on, \
            while engram_get and history keep it. Give 'with' (properties, and for a node optionally a label) to \
            record what holds instead: a new fact valid from 'time' (for an edge, between the same nodes). One commit.
            """,
            Schema.merging([
                "id": Schema.id,
                "with": Schema.object(["label": Schema.string("The new node's label (default: the old one's)."),
                                       "props": Schema.properties("The new fact's properties.")], required: ["props"]),
                "time": Schema.integer("When the old fact stopped holding, in microseconds since the epoch (default now).",
                                       minimum: 0, maximum: Int(Int64.max / 2)),
            ], Schema.commit), required: ["id"], readOnly: false) { tools, args throws(ToolError) in try tools.supersede(args) },
    ]

    /// Runs a transaction on the branch the call names and commits it; a rebase conflict comes
    /// back as data.
    func committing(_ args: ToolArguments, default message: String,
                    _ body: @escaping (inout Transaction) throws -> IPLDMap) throws(ToolError) -> IPLD {
        let info = try commitInfo(args, default: message)
        let branch = try args.string("branch")
        return try access.write { (repository: Repository) throws -> IPLD in
            var tx = try repository.transaction(on: branch)
            var out = try body(&tx)
            do {
                let cid = try repository.commit(tx, info)
                out["status"] = "committed"
                out["commit"] = .string(cid.description)
                return IPLD.map(out)
            } catch GraphError.commitConflict(let conflicts) {
                return ConflictJSON.result(conflicts, during: "commit")
            }
        }
    }

    func remember(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let nodes = try args.array("nodes") ?? []
        let edges = try args.array("edges") ?? []
        guard !nodes.isEmpty || !edges.isEmpty else { throw ToolError("engram_remember needs at least one node or edge") }
        guard nodes.count + edges.count <= 10_000 else { throw ToolError("at most 10000 nodes and edges per call") }
        let nodeArgs = try nodes.enumerated().map { (i, v) throws(ToolError) in try NodeArgument(v, at: "nodes[\(i)]") }
        let edgeArgs = try edges.enumerated().map { (i, v) throws(ToolError) in try EdgeArgument(v, at: "edges[\(i)]") }
        return try committing(args, default: "remember") { tx in
            var refs: [String: EntityID] = [:]
            var nodeResults: [IPLD] = []
            for node in nodeArgs {
                let (id, created) = try node.apply(to: &tx)
                if let ref = node.ref { refs[ref] = id }
                var m: IPLDMap = ["id": .string(id.description), "created": .bool(created)]
                if let ref = node.ref { m["ref"] = .string(ref) }
                nodeResults.append(.map(m))
            }
            var edgeResults: [IPLD] = []
            for edge in edgeArgs {
                let src = try edge.end(edge.src, "src", refs: refs, in: tx)
                let dst = try edge.end(edge.dst, "dst", refs: refs, in: tx)
                let id = tx.addEdge(from: src, edge.label, to: dst, props: edge.props)
                edgeResults.append(.map(["id": .string(id.description)]))
            }
            return ["nodes": .list(nodeResults), "edges": .list(edgeResults)]
        }
    }

    func update(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let id = try args.id("id")
        var patch = PropertyPatch()
        for (name, value) in try args.properties("set") ?? IPLDMap() { patch.set(name, to: value) }
        for (i, v) in (try args.array("unset") ?? []).enumerated() {
            guard case .string(let name) = v else { throw ToolError("unset[\(i)] must be a property name (a string)") }
            patch.set(name, to: nil)
        }
        let label = try args.string("label")
        return try committing(args, default: "update \(id)") { tx in
            if try tx.node(id) != nil {
                try tx.updateNode(id, label: label, props: .patch(patch))
                return ["id": .string(id.description), "kind": "node"]
            }
            guard try tx.edge(id) != nil else { throw ToolError("id \(id) names no node or edge on this branch") }
            try tx.updateEdge(id, label: label, props: .patch(patch))
            return ["id": .string(id.description), "kind": "edge"]
        }
    }

    func supersede(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let id = try args.id("id")
        let time = Int64(try args.int("time", default: Int(WallClock.microseconds()), in: 0...Int(Int64.max / 2)))
        let replacement = try args.object("with").map { (o) throws(ToolError) in
            try ToolArguments(tool: "engram_supersede", o, allowed: ["label", "props"], path: "with")
        }
        let label = try replacement?.string("label")
        let props = try replacement?.properties("props") ?? IPLDMap()
        return try committing(args, default: "supersede \(id)") { tx in
            var out: IPLDMap = ["id": .string(id.description), "valid_to": .int(time)]
            if let old = try tx.node(id) {
                if replacement != nil {
                    let new = try tx.supersede(id, with: Node(id: .uuidV7(), label: label ?? old.label, props: props), at: time)
                    out["replaced_by"] = .string(new.description)
                } else {
                    try tx.updateNode(id, props: .patch([Validity.toProperty: .int(time)]))
                }
            } else if let old = try tx.edge(id) {
                if replacement != nil {
                    let new = try tx.supersede(id, with: Edge(id: .uuidV7(), src: old.src, label: old.label, dst: old.dst, props: props), at: time)
                    out["replaced_by"] = .string(new.description)
                } else {
                    try tx.updateEdge(id, props: .patch([Validity.toProperty: .int(time)]))
                }
            } else {
                throw ToolError("id \(id) names no node or edge on this branch")
            }
            return out
        }
    }

    func forget(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let ids = try args.ids("ids")
        guard !ids.isEmpty, ids.count <= 10_000 else { throw ToolError("ids must list 1 to 10000 ids") }
        return try committing(args, default: "forget \(ids.count) item(s)") { tx in
            var removed: [IPLD] = []
            for id in ids {
                if try tx.node(id) != nil {
                    try tx.removeNode(id)
                    removed.append(["id": .string(id.description), "kind": "node"])
                } else if try tx.edge(id) != nil {
                    try tx.removeEdge(id)
                    removed.append(["id": .string(id.description), "kind": "edge"])
                } else {
                    throw ToolError("id \(id) names no node or edge on this branch; nothing was deleted")
                }
            }
            return ["removed": .list(removed),
                    "note": "removed from the branch head; earlier commits still hold them (engram_get with at)"]
        }
    }
}

/// One entry of engram_remember's `nodes`.
struct NodeArgument {
    var label: String
    var props: IPLDMap
    var key: String?
    var ref: String?
    var id: EntityID?

    init(_ value: Value, at path: String) throws(ToolError) {
        guard case .object(let o) = value else { throw ToolError("\(path) must be an object, got \(JSONValues.kind(value))") }
        let args = try ToolArguments(tool: "engram_remember", o, allowed: ["label", "props", "key", "ref", "id"], path: path)
        label = try args.requiredString("label")
        props = try args.properties("props") ?? IPLDMap()
        key = try args.string("key")
        ref = try args.string("ref")
        id = try args.string("id").map { (s) throws(ToolError) in try ToolArguments.id(s, at: "\(path).id") }
        if let key, props[key] == nil { throw ToolError("\(path).key '\(key)' is not among the node's props") }
    }

    /// Adds or updates the node; its id and whether it is new.
    func apply(to tx: inout Transaction) throws -> (EntityID, Bool) {
        if let id {
            if try tx.node(id) != nil {
                try tx.updateNode(id, label: label, props: .patch(PropertyPatch(props.map { ($0.key, $0.value) })))
                return (id, false)
            }
            tx.addNode(label: label, props: props, id: id)
            return (id, true)
        }
        if let key, let value = props[key], let found = try existing(label: label, key: key, value: value, in: tx) {
            try tx.updateNode(found, props: .patch(PropertyPatch(props.map { ($0.key, $0.value) })))
            return (found, false)
        }
        return (tx.addNode(label: label, props: props), true)
    }

    /// A node with `label` whose `key` is `value`: staged in this call, else in the base.
    func existing(label: String, key: String, value: IPLD, in tx: Transaction) throws -> EntityID? {
        for case let (id, node?) in tx.changes.nodes where node.label == label && node.props[key] == value { return id }
        var scan = try tx.base.nodes(label: label, where: key, equals: value)
        while let id = try scan.next() {
            if case .some(nil) = tx.changes.nodes[id] { continue }  // deleted in this call
            return id
        }
        return nil
    }
}

/// One entry of engram_remember's `edges`.
struct EdgeArgument {
    var src: String
    var label: String
    var dst: String
    var props: IPLDMap
    let path: String

    init(_ value: Value, at path: String) throws(ToolError) {
        guard case .object(let o) = value else { throw ToolError("\(path) must be an object, got \(JSONValues.kind(value))") }
        let args = try ToolArguments(tool: "engram_remember", o, allowed: ["src", "label", "dst", "props"], path: path)
        src = try args.requiredString("src")
        label = try args.requiredString("label")
        dst = try args.requiredString("dst")
        props = try args.properties("props") ?? IPLDMap()
        self.path = path
    }

    /// The node an end names: a ref of this call, or the id of a node on the branch.
    func end(_ text: String, _ name: String, refs: [String: EntityID], in tx: Transaction) throws -> EntityID {
        if let id = refs[text] { return id }
        guard let id = EntityID(text) else {
            throw ToolError("\(path).\(name) '\(text.prefix(80))' is neither a ref of this call's nodes nor a node id")
        }
        guard try tx.node(id) != nil else { throw ToolError("\(path).\(name) \(id) names no node on this branch") }
        return id
    }
}
