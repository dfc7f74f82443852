import ArgumentParser
import Engram
import EngramIPLD

/// Stages one change: loads the stage, lets `body` add changes (seeing the staged state),
/// checks the new staged state as a commit would (so a bad change is refused now and never
/// blocks a later commit), saves.
func stage(_ repo: RepositoryOptions, _ body: (Transaction, inout [ChangeOp]) throws -> Void) throws {
    let repository = try repo.openGraph()
    var staged = try StagedChanges.load(repository, at: repo.stagedFile)
    let tx = try staged.transaction(repository)
    try body(tx, &staged.ops)
    try staged.check(repository)
    try staged.save()
}

/// Reads an entity at revision `at`, or in the staged state (HEAD plus staged changes) when nil.
func readEntity<T>(_ repo: RepositoryOptions, at: String?, _ read: (GraphSnapshot) throws -> T?,
                   staged: (Transaction) throws -> T?) throws -> T? {
    let repository = try repo.openGraph(readOnly: true)
    if let at { return try read(try repository.snapshot(try repository.resolve(at))) }
    return try staged(try StagedChanges.load(repository, at: repo.stagedFile).transaction(repository))
}

/// `engram node`: stage node changes, read nodes.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Add, change, remove (staged) and read nodes.",
        subcommands: [Add.self, Get.self, SetNode.self, Remove.self, Supersede.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stage a new node and print its id.")
        @OptionGroup var repo: RepositoryOptions
        @Option(help: "The node's label.") var label: String
        @Option(name: .customLong("prop"), help: GraphArgs.propHelp) var props: [String] = []
        @Option(name: .customLong("props"), help: "Properties as a JSON object.") var propsJSON: String?
        @Option(help: "The node's id (default: a new UUIDv7; an existing id is refused: use `node set`).") var id: String?

        func run() throws {
            let node = Node(id: try id.map(GraphArgs.id) ?? .uuidV7(), label: label,
                            props: try GraphArgs.properties(json: propsJSON, pairs: props))
            try stage(repo) { tx, ops in
                guard try tx.node(node.id) == nil else { throw GraphError.nodeExists(node.id) }
                ops.append(.putNode(node))
            }
            print(node.id)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a node (the staged state unless --at).")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The node id.") var id: String
        @Option(help: "Read at this revision instead.") var at: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let nodeID = try GraphArgs.id(id)
            guard let node = try readEntity(repo, at: at, { try $0.node(nodeID) }, staged: { try $0.node(nodeID) }) else { throw GraphError.nodeNotFound(nodeID) }
            if json { GraphArgs.printJSON(GraphJSON.value(node)) } else {
                print("\(node.id) \(node.label) \(GraphJSON.text(.map(node.props)))")
            }
        }
    }

    struct SetNode: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Stage a change of a node's label or properties.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The node id.") var id: String
        @OptionGroup var change: PropertyChangeOptions

        func run() throws {
            let nodeID = try GraphArgs.id(id)
            let patch = try change.patch()
            try stage(repo) { tx, ops in
                guard var node = try tx.node(nodeID) else { throw GraphError.nodeNotFound(nodeID) }
                if let label = change.label { node.label = label }
                node.props = patch(node.props)
                ops.append(.putNode(node))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Stage the removal of a node and its edges.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The node id.") var id: String

        func run() throws {
            let nodeID = try GraphArgs.id(id)
            try stage(repo) { tx, ops in
                guard try tx.node(nodeID) != nil else { throw GraphError.nodeNotFound(nodeID) }
                ops.append(.deleteNode(nodeID))
            }
        }
    }
}

/// `engram edge`: stage edge changes.
struct EdgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge", abstract: "Add, change and remove edges (staged), read edges.",
        subcommands: [Add.self, Get.self, SetEdge.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stage an edge <src> -<label>-> <dst> and print its id.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The source node id.") var src: String
        @Argument(help: "The edge label.") var label: String
        @Argument(help: "The destination node id.") var dst: String
        @Option(name: .customLong("prop"), help: GraphArgs.propHelp) var props: [String] = []
        @Option(name: .customLong("props"), help: "Properties as a JSON object.") var propsJSON: String?
        @Option(help: "The edge's id (default: a new UUIDv7; an existing id is refused: use `edge set`).") var id: String?

        func run() throws {
            let edge = Edge(id: try id.map(GraphArgs.id) ?? .uuidV7(), src: try GraphArgs.id(src), label: label,
                            dst: try GraphArgs.id(dst), props: try GraphArgs.properties(json: propsJSON, pairs: props))
            try stage(repo) { tx, ops in
                guard try tx.edge(edge.id) == nil else { throw GraphError.edgeExists(edge.id) }
                ops.append(.putEdge(edge))
            }
            print(edge.id)
        }
    }

    struct SetEdge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Stage a change of an edge's label or properties.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The edge id.") var id: String
        @OptionGroup var change: PropertyChangeOptions

        func run() throws {
            let edgeID = try GraphArgs.id(id)
            let patch = try change.patch()
            try stage(repo) { tx, ops in
                guard var edge = try tx.edge(edgeID) else { throw GraphError.edgeNotFound(edgeID) }
                if let label = change.label { edge.label = label }
                edge.props = patch(edge.props)
                ops.append(.putEdge(edge))
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an edge (the staged state unless --at).")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The edge id.") var id: String
        @Option(help: "Read at this revision instead.") var at: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let edgeID = try GraphArgs.id(id)
            guard let edge = try readEntity(repo, at: at, { try $0.edge(edgeID) }, staged: { try $0.edge(edgeID) }) else { throw GraphError.edgeNotFound(edgeID) }
            if json { GraphArgs.printJSON(GraphJSON.value(edge)) } else {
                print("\(edge.id) \(edge.src) \(edge.label) \(edge.dst) \(GraphJSON.text(.map(edge.props)))")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Stage the removal of an edge.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The edge id.") var id: String

        func run() throws {
            let edgeID = try GraphArgs.id(id)
            try stage(repo) { tx, ops in
                guard try tx.edge(edgeID) != nil else { throw GraphError.edgeNotFound(edgeID) }
                ops.append(.deleteEdge(edgeID))
            }
        }
    }
}

/// The options of `node set` and `edge set`: a new label, properties to set or remove.
struct PropertyChangeOptions: ParsableArguments {
    @Option(help: "The new label.") var label: String?
    @Option(name: .customLong("prop"), help: GraphArgs.propHelp) var props: [String] = []
    @Option(name: .customLong("props"), help: "Properties as a JSON object (merged in, or the whole set with --replace).") var propsJSON: String?
    @Option(help: "Remove a property; repeatable.") var unset: [String] = []
    @Flag(help: "Replace every property instead of patching.") var replace = false

    /// The change to a property map: the given properties set (or, with `--replace`, only
    /// them), then the `--unset` ones removed.
    func patch() throws -> (IPLDMap) -> IPLDMap {
        let given = try GraphArgs.properties(json: propsJSON, pairs: props)
        return { [unset, replace] props in
            var out = replace ? given : props
            if !replace { for (k, v) in given { out[k] = v } }
            for k in unset { out[k] = nil }
            return out
        }
    }
}
