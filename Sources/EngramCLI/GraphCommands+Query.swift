import ArgumentParser
import Engram
import EngramIPLD

/// `engram query`: nodes by label, property equality and property range.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Find nodes by label, property value or range.")
    @OptionGroup var repo: RepositoryOptions
    @Option(help: "The label.") var label: String
    @Option(name: .customLong("where"), help: "Property equality k=text or k:=JSON (numbers match integers and floats of the same value; the first uses the index, the rest filter); repeatable.") var wheres: [String] = []
    @Option(help: "A property range k:lo:hi (lo <= v < hi; an empty bound is open; bounds are JSON values, else text; numbers compare across integers and floats).") var range: String?
    @Option(help: "Read at this revision (default: HEAD).") var at: String = "HEAD"
    @Option(help: "Print at most this many nodes.") var limit: Int = .max
    @Option(help: "Only facts valid then: now (default), any, microseconds or ISO 8601.") var validAt: String = "now"
    @Flag(help: "Print the number of matches only.") var count = false
    @Flag(help: "Print one JSON node per line.") var json = false

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let s = try repository.snapshot(try repository.resolve(at))
        // One clock reading for every count and scan below.
        let valid = try ValidAtArgument.parse(validAt).instant().map(ValidityTime.at) ?? .any
        let conditions = try wheres.map(GraphArgs.property)
        var scan: NodeIDScan
        var filters = conditions
        if let range {
            let parts = range.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw ValidationError("--range is k:lo:hi") }
            let lo = parts[1].isEmpty ? nil : GraphArgs.bound(parts[1]), hi = parts[2].isEmpty ? nil : GraphArgs.bound(parts[2])
            if count && filters.isEmpty {
                print(try s.count(label: label, where: parts[0], from: lo, to: hi, validAt: valid))
                return
            }
            scan = try s.nodes(label: label, where: parts[0], from: lo, to: hi, validAt: valid)
        } else if let (k, v) = filters.first {
            filters.removeFirst()
            if count && filters.isEmpty {
                print(try s.count(label: label, where: k, equals: v, validAt: valid))
                return
            }
            scan = try s.nodes(label: label, where: k, equals: v, validAt: valid)
        } else {
            if count {
                print(try s.count(label: label, validAt: valid))
                return
            }
            scan = try s.nodes(label: label, validAt: valid)
        }
        var printed = 0
        while printed < limit, let id = try scan.next() {
            guard let node = try s.node(id), filters.allSatisfy({ GraphSnapshot.propertyMatches(node.props[$0.0], $0.1) }) else { continue }
            printed += 1
            if count { continue }
            if json { GraphArgs.printJSON(GraphJSON.value(node)) } else { print(id) }
        }
        if count { print(printed) }
    }
}

/// `engram neighbors`: the edges of a node.
struct NeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "neighbors", abstract: "List the nodes an edge leads to (or comes from).")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The node id.") var id: String
    @Flag(help: "Follow edges leaving the node (the default).") var out = false
    @Flag(name: .customLong("in"), help: "Follow edges entering the node.") var inbound = false
    @Option(help: "Only edges with this label.") var label: String?
    @Option(help: "Read at this revision (default: HEAD).") var at: String = "HEAD"
    @Option(help: "Only edges valid then: now (default), any, microseconds or ISO 8601.") var validAt: String = "now"
    @Flag(help: "Print the number of edges only (from the tree counts).") var count = false
    @Flag(help: "Print one JSON object per edge.") var json = false

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let s = try repository.snapshot(try repository.resolve(at))
        let valid = try ValidAtArgument.parse(validAt).instant().map(ValidityTime.at) ?? .any
        let node = try GraphArgs.id(id)
        // A node that is not there is not found (exit 4), not a node without neighbours.
        guard try s.hasNode(node) else { throw GraphError.nodeNotFound(node) }
        let directions: [Direction] = inbound && out ? [.out, .in] : inbound ? [.in] : [.out]
        if count {
            var n: UInt64 = 0
            for d in directions { n += try s.degree(node, d, label: label, validAt: valid) }
            print(n)
            return
        }
        for d in directions {
            var scan = try s.neighbors(node, d, label: label, validAt: valid)
            while let n = try scan.next() {
                if json {
                    GraphArgs.printJSON(["node": .string(n.node.description), "edge": .string(n.edge.description),
                                         "label": .string(n.label), "direction": .string(d.rawValue)])
                } else {
                    print("\(n.node) \(n.label) \(n.edge)")
                }
            }
        }
    }
}
