import ArgumentParser
import Engram
import EngramIPLD

/// `merge --resolve <id>.<field>=ours|theirs|<JSON>`: per-field settlements of merge conflicts.
enum MergeResolveArguments {
    /// The settlements of `arguments`. `<field>` is a property name (`props.<name>` also works),
    /// or `label`, `src`, `dst`; the id names a node when either side has that node, else an edge.
    static func parse(_ arguments: [String], in repository: Repository, ours: CID?, theirs: CID) throws -> MergeResolutions {
        var resolutions = MergeResolutions()
        guard !arguments.isEmpty else { return resolutions }
        let sides = [try repository.snapshot(ours), try repository.snapshot(theirs)]
        for argument in arguments {
            guard let dot = argument.firstIndex(of: "."), let eq = argument[dot...].firstIndex(of: "="),
                  argument.index(after: dot) < eq else {
                throw ValidationError("--resolve '\(argument)' is not <id>.<property>=ours|theirs|<JSON value>")
            }
            let id = try GraphArgs.id(String(argument[..<dot]))
            let name = String(argument[argument.index(after: dot)..<eq]), choice = String(argument[argument.index(after: eq)...])
            let field: Field = switch name {
            case "label": .label
            case "src": .src
            case "dst": .dst
            default: name.hasPrefix("props.") ? .prop(String(name.dropFirst(6))) : .prop(name)
            }
            let resolution: FieldResolution
            switch choice {
            case "ours": resolution = .ours
            case "theirs": resolution = .theirs
            default:
                do { resolution = .value(try DAGJSON.decode(choice)) } catch {
                    throw ValidationError("--resolve '\(argument)': '\(choice)' is neither ours, theirs nor a JSON value (\(error)); quote text: '\"text\"'")
                }
            }
            let isNode = try sides.contains { try $0.node(id) != nil }
            try resolutions.resolve(isNode ? .node(id) : .edge(id), field, resolution)
        }
        return resolutions
    }

    /// A conflict as JSON: what it is about, its kind, the values of each side and, for a field,
    /// the `--resolve` key that settles it.
    static func json(_ conflict: MergeConflict) -> IPLD {
        var out = IPLDMap()
        switch conflict.entity {
        case .node(let id):
            out["entity"] = "node"
            out["id"] = .string(id.description)
        case .edge(let id):
            out["entity"] = "edge"
            out["id"] = .string(id.description)
        }
        let id: EntityID = switch conflict.entity { case .node(let i), .edge(let i): i }
        switch conflict.kind {
        case .field(let field, let base, let ours, let theirs):
            out["kind"] = "field"
            out["field"] = .string(field.description)
            if let base { out["base"] = base }
            if let ours { out["ours"] = ours }
            if let theirs { out["theirs"] = theirs }
            out["resolve"] = .string("\(id).\(field)")
        case .removedChanged(let side):
            out["kind"] = "removed-changed"
            out["removed_by"] = .string(side.rawValue)
        case .endpointRemoved(let node, let side):
            out["kind"] = "endpoint-removed"
            out["node"] = .string(node.description)
            out["removed_by"] = .string(side.rawValue)
        }
        return .map(out)
    }
}
