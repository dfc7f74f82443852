import EngramIPLD

/// JSON views of graph values, as DAG-JSON (ids are UUID strings; bytes are `{"/": {"bytes": ...}}`).
public enum GraphJSON {
    /// A node: `{"id", "label", "props"}`.
    public static func value(_ node: Node) -> IPLD {
        ["id": .string(node.id.description), "label": .string(node.label), "props": .map(node.props)]
    }

    /// An edge: `{"id", "src", "label", "dst", "props"}`.
    public static func value(_ edge: Edge) -> IPLD {
        ["id": .string(edge.id.description), "src": .string(edge.src.description), "label": .string(edge.label),
         "dst": .string(edge.dst.description), "props": .map(edge.props)]
    }

    /// A commit: `{"cid", "parents", "author", "time", "message", "agent"?, "nodes", "edges", "indexes"}`.
    public static func value(_ commit: Commit, cid: CID) -> IPLD {
        var m: IPLDMap = ["cid": .string(cid.description), "parents": .list(commit.parents.map { .string($0.description) }),
                          "author": .string(commit.author), "time": .int(commit.time), "message": .string(commit.message),
                          "nodes": .string(commit.nodes.description), "edges": .string(commit.edges.description),
                          "indexes": .string(commit.indexes.description)]
        if let agent = commit.agent { m["agent"] = .string(agent) }
        return .map(m)
    }

    /// A diff: `{"nodes": {"added", "removed", "changed"}, "edges": {...}}`, where a changed
    /// entry is `{"id", "changes": [{"field", "old"?, "new"?}]}`.
    public static func value(_ diff: GraphDiff) -> IPLD {
        ["nodes": changes(diff.nodes, value), "edges": changes(diff.edges, value)]
    }

    static func changes<T>(_ list: [EntityChange<T>], _ show: (T) -> IPLD) -> IPLD {
        var added: [IPLD] = [], removed: [IPLD] = [], changed: [IPLD] = []
        for c in list {
            switch c {
            case .added(let n): added.append(show(n))
            case .removed(let n): removed.append(show(n))
            case .changed(_, let new, let fields):
                var entry = show(new).mapValue ?? IPLDMap()
                entry["changes"] = .list(fields.map { f in
                    var m: IPLDMap = ["field": .string(f.field.description)]
                    if let o = f.old { m["old"] = fieldValue(f.field, o) }
                    if let n = f.new { m["new"] = fieldValue(f.field, n) }
                    return .map(m)
                })
                changed.append(.map(entry))
            }
        }
        return ["added": .list(added), "removed": .list(removed), "changed": .list(changed)]
    }

    /// Endpoints show as UUID strings rather than bytes.
    public static func fieldValue(_ field: Field, _ v: IPLD) -> IPLD {
        switch field {
        case .src, .dst: v.bytesValue.flatMap { EntityID(bytes: $0) }.map { .string($0.description) } ?? v
        default: v
        }
    }

    /// The value as compact DAG-JSON text.
    public static func text(_ value: IPLD) -> String {
        (try? DAGJSON.encodeString(value)) ?? "null"
    }
}
