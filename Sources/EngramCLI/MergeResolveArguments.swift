import ArgumentParser
import Engram
import EngramIPLD

/// `merge --resolve <id>.<field>=ours|theirs|<JSON>` and `--resolve <id>=ours|theirs`:
/// settlements of merge conflicts per field, or per node or edge.
enum MergeResolveArguments {
    static let syntax = "<id>.<property>=ours|theirs|<JSON value> or <id>=ours|theirs"

    /// The settlements of `arguments`. `<field>` is a property name (`props.<name>` also works),
    /// or `label`, `src`, `dst`; the id names a node when either side has that node, else an edge.
    /// Without a field, the choice settles every conflict of that node or edge.
    static func parse(_ arguments: [String], in repository: Repository, ours: CID?, theirs: CID) throws -> MergeResolutions {
        var resolutions = MergeResolutions()
        guard !arguments.isEmpty else { return resolutions }
        let sides = [try repository.snapshot(ours), try repository.snapshot(theirs)]
        func entity(_ id: EntityID) throws -> EntityRef {
            try sides.contains { try $0.node(id) != nil } ? .node(id) : .edge(id)
        }
        for argument in arguments {
            guard let eq = argument.firstIndex(of: "=") else {
                throw ValidationError("--resolve '\(argument)' is not \(syntax)")
            }
            guard let dot = argument[..<eq].firstIndex(of: ".") else {
                let id = try GraphArgs.id(String(argument[..<eq]))
                guard let side = MergeSide(rawValue: String(argument[argument.index(after: eq)...])) else {
                    throw ValidationError("--resolve '\(argument)': a whole node or edge takes ours or theirs")
                }
                resolutions.resolve(try entity(id), side)
                continue
            }
            guard argument.index(after: dot) < eq else {
                throw ValidationError("--resolve '\(argument)' is not \(syntax)")
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
            try resolutions.resolve(try entity(id), field, resolution)
        }
        return resolutions
    }

    /// A conflict as JSON: what it is about, its kind, the values of each side and, for a field,
    /// the `--resolve` key that settles it (`<id>.<field>` for a field, `<id>` for the others,
    /// which take only ours or theirs).
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
            out["resolve"] = .string(id.description)
        case .endpointRemoved(let node, let side):
            out["kind"] = "endpoint-removed"
            out["node"] = .string(node.description)
            out["removed_by"] = .string(side.rawValue)
            out["resolve"] = .string(id.description)
        }
        return .map(out)
    }
}
