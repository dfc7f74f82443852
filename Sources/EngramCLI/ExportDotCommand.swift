import ArgumentParser
import Engram
import EngramIPLD

/// `engram export-dot`: the memory graph at a revision as Graphviz DOT, whole or around one node.
struct ExportDotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-dot",
        abstract: "Write the graph at a revision as Graphviz DOT (render with `dot -Tsvg`).",
        discussion: "Nodes show their label, id and first properties; edges their label. Text is escaped so any label or value (quotes, backslashes, newlines, NUL, non-ASCII) shows as written.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The revision (default: HEAD).") var revision: String = "HEAD"
    @Option(help: "Only the nodes within --depth edges of this node (either direction).") var around: String?
    @Option(help: "How many edges away from --around to go.") var depth: Int = 1
    @Option(name: .customLong("max-items"), help: "Refuse graphs of more nodes plus edges than this.") var maxItems: Int = 5000
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        guard (0...1000).contains(depth) else { throw ValidationError("--depth must be 0 to 1000") }
        guard maxItems > 0 else { throw ValidationError("--max-items must be positive") }
    }

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let snapshot = try repository.snapshot(try repository.resolve(revision))
        var dot = GraphDOT(limit: maxItems)
        if let around {
            try dot.addNeighbourhood(of: try GraphArgs.id(around), depth: depth, in: snapshot)
        } else {
            let total = try snapshot.nodeCount() + snapshot.edgeCount()
            guard total <= UInt64(maxItems) else { throw GraphDOT.tooLarge(count: "\(total)", limit: maxItems) }
            try dot.addWholeGraph(snapshot)
        }
        let text = dot.text()
        if let output { try writeFile(output, Array(text.utf8)) } else { print(text, terminator: "") }
    }
}

/// DOT text of (part of) a graph, at most `limit` nodes plus edges.
struct GraphDOT {
    let limit: Int
    private var lines: [String] = []
    private var items = 0

    init(limit: Int) { self.limit = limit }

    static func tooLarge(count: String, limit: Int) -> CLIError {
        CLIError("the graph has \(count) nodes and edges, more than --max-items \(limit): show part of it with --around <id> --depth N, or raise --max-items")
    }

    mutating func addWholeGraph(_ snapshot: GraphSnapshot) throws {
        try snapshot.forEachNode { node throws(GraphError) in add(node) }
        try snapshot.forEachEdge { edge throws(GraphError) in add(edge.src, edge.label, edge.dst) }
    }

    /// The nodes within `depth` hops of `start` and the edges between them.
    mutating func addNeighbourhood(of start: EntityID, depth: Int, in snapshot: GraphSnapshot) throws {
        guard try snapshot.hasNode(start) else { throw GraphError.nodeNotFound(start) }
        var walk = snapshot.traverse(from: start, .both, maxDepth: depth, limit: limit + 1)
        var ids: [EntityID] = []
        while let (id, _) = try walk.next() { ids.append(id) }
        guard ids.count <= limit else { throw Self.tooLarge(count: "over \(limit)", limit: limit) }
        let inside = Set(ids)
        for id in ids {
            guard let node = try snapshot.node(id) else { throw GraphError.nodeNotFound(id) }
            add(node)
        }
        for id in ids {
            var out = try snapshot.neighbors(id, .out)
            while let n = try out.next() {
                guard inside.contains(n.node) else { continue }
                add(id, n.label, n.node)
                guard items <= limit else { throw Self.tooLarge(count: "over \(limit)", limit: limit) }
            }
        }
    }

    private mutating func add(_ node: Node) {
        var label = [node.label, String(node.id.description.prefix(8))]
        for (key, value) in node.props.prefix(3) {
            label.append(DOT.cut(key + ": " + (value.stringValue ?? GraphJSON.text(value)), 40))
        }
        if node.props.count > 3 { label.append("…") }
        lines.append("  \(DOT.quoted(node.id.description)) [label=\(DOT.quoted(label.joined(separator: "\n")))];")
        items += 1
    }

    private mutating func add(_ src: EntityID, _ label: String, _ dst: EntityID) {
        lines.append("  \(DOT.quoted(src.description)) -> \(DOT.quoted(dst.description)) [label=\(DOT.quoted(DOT.cut(label, 40)))];")
        items += 1
    }

    func text() -> String {
        "digraph memory {\n  node [shape=box];\n" + lines.map { $0 + "\n" }.joined() + "}\n"
    }
}
