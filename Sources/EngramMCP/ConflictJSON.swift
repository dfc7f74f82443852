import Engram
import EngramIPLD

/// Merge and rebase conflicts as data an agent can act on: which entity, which field, and each
/// side's value (a key is absent where that side has no value).
enum ConflictJSON {
    static func value(_ conflict: MergeConflict) -> IPLD {
        var m = IPLDMap()
        switch conflict.entity {
        case .node(let id): m["entity"] = ["kind": "node", "id": .string(id.description)]
        case .edge(let id): m["entity"] = ["kind": "edge", "id": .string(id.description)]
        }
        switch conflict.kind {
        case .field(let field, let base, let ours, let theirs):
            m["type"] = "field"
            m["field"] = .string(field.description)
            if let base { m["base"] = shown(field, base) }
            if let ours { m["ours"] = shown(field, ours) }
            if let theirs { m["theirs"] = shown(field, theirs) }
        case .removedChanged(let side):
            m["type"] = "removed_changed"
            m["removed_by"] = .string(side.rawValue)
        case .endpointRemoved(let node, let side):
            m["type"] = "endpoint_removed"
            m["node"] = .string(node.description)
            m["removed_by"] = .string(side.rawValue)
        }
        m["description"] = .string(conflict.description)
        return .map(m)
    }

    static func shown(_ field: Field, _ v: IPLD) -> IPLD { GraphJSON.fieldValue(field, v) }

    /// The result of a write that met conflicts: nothing was committed.
    static func result(_ conflicts: [MergeConflict], during what: String) -> IPLD {
        if conflicts.isEmpty {
            return ["status": "conflict", "committed": false, "conflicts": .list([]),
                    "hint": .string("the branch moved while the \(what) ran; nothing changed, call again")]
        }
        return ["status": "conflict", "committed": false, "conflicts": .list(conflicts.map(value)),
                "hint": .string("nothing changed; settle each conflict (e.g. engram_update, or engram_merge with strategy ours/theirs) and retry")]
    }
}
