import ArgumentParser
import Engram
import EngramIPLD

extension NodeCommand {
    /// `engram node supersede`: stage the replacement of a node that closes its validity
    /// interval instead of removing it (SPEC.md 7.10).
    struct Supersede: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stage a new node that supersedes <old-id> (valid_to on the old, valid_from on the new) and print its id.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The id of the node superseded.") var old: String
        @Option(help: "The new node's label (default: the old node's).") var label: String?
        @Option(name: .customLong("prop"), help: "A property key=value of the new node; repeatable.") var props: [String] = []
        @Option(name: .customLong("props"), help: "The new node's properties as a JSON object.") var propsJSON: String?
        @Option(help: "When the change happened: microseconds or ISO 8601 (default: now).") var time: String?
        @Option(help: "The new node's id (default: a new UUIDv7).") var id: String?

        func run() throws {
            let oldID = try GraphArgs.id(old)
            let at: Int64?
            switch try time.map(ValidAtArgument.parse) {
            case .at(let t)?: at = t
            case nil, .now?: at = nil
            case .any?: throw ValidationError("--time takes a time, not any")
            }
            let newID = try id.map(GraphArgs.id) ?? .uuidV7()
            try stage(repo) { tx, ops in
                guard let oldNode = try tx.node(oldID) else { throw GraphError.nodeNotFound(oldID) }
                let node = Node(id: newID, label: label ?? oldNode.label, props: try GraphArgs.properties(json: propsJSON, pairs: props))
                var t = tx
                try t.supersede(oldID, with: node, at: at)
                for changed in [oldID, newID] {
                    if let n = try t.node(changed) { ops.append(.putNode(n)) }
                }
            }
            print(newID)
        }
    }
}
