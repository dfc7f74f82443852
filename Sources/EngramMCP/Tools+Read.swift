import Engram
import EngramIPLD
import MCP

extension EngramTools {
    static let readTools: [ToolSpec] = [
        ToolSpec("engram_get", """
            Read nodes or edges by id, now or as of an earlier revision ('at'). Large property values come back as \
            references to fetch with engram_fetch.
            """,
            ["ids": Schema.array(["type": "string"], "Node or edge ids (1 to 1000)."), "at": Schema.at,
             "max_value_bytes": Schema.page["max_value_bytes"] ?? .null],
            required: ["ids"], readOnly: true) { tools, args throws(ToolError) in try tools.get(args) },
        ToolSpec("engram_neighbors", """
            List the edges of a node and the nodes at their other ends: direction 'out' (edges leaving it), 'in' or \
            'both', optionally only edges with one label. Paginated: pass next_cursor back for more.
            """,
            Schema.merging(["id": Schema.id, "direction": Schema.choice(["out", "in", "both"], "Which edges (default out)."),
                            "label": Schema.string("Only edges with this label."), "at": Schema.at], Schema.page),
            required: ["id"], readOnly: true) { tools, args throws(ToolError) in try tools.neighbors(args) },
        ToolSpec("engram_query", """
            Find nodes by label, optionally where one property equals a value ('property' + 'equals') or lies in a \
            range ('property' + 'from' and/or 'to', from inclusive, to exclusive). Returns the matching nodes in id \
            order (value order for a range) and their total count. Paginated: pass next_cursor back for more. Use \
            engram_schema to see which labels and properties exist.
            """,
            Schema.merging(["label": Schema.string("The node label."), "property": Schema.string("A property name to filter on."),
                            "equals": Schema.anyValue, "from": Schema.anyValue, "to": Schema.anyValue, "at": Schema.at],
                           Schema.page),
            required: ["label"], readOnly: true) { tools, args throws(ToolError) in try tools.query(args) },
        ToolSpec("engram_schema", """
            What memory holds: each node label with its node count and property names (with counts), and each edge \
            label with its edge count. Call this first to learn how to query.
            """,
            ["at": Schema.at], readOnly: true) { tools, args throws(ToolError) in try tools.schema(args) },
        ToolSpec("engram_stats", """
            Counts and position: nodes, edges, the commit read, the branch HEAD names, the number of branches.
            """,
            ["at": Schema.at], readOnly: true) { tools, args throws(ToolError) in try tools.stats(args) },
    ]

    func get(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let ids = try args.ids("ids")
        guard !ids.isEmpty, ids.count <= 1000 else { throw ToolError("ids must list 1 to 1000 ids") }
        let maxValueBytes = try args.int("max_value_bytes", default: 4096, in: 16...PageBounds.largestMaxBytes)
        let (repository, commits, _) = try readState(args)
        let snapshot = try Self.snapshot(repository, commits[0])
        var nodes: [IPLD] = [], edges: [IPLD] = []
        for id in ids {
            if let node = try Self.library({ () throws(GraphError) in try snapshot.node(id) }) {
                nodes.append(Bounded.node(node, in: snapshot, maxValueBytes: maxValueBytes))
            } else if let edge = try Self.library({ () throws(GraphError) in try snapshot.edge(id) }) {
                edges.append(Bounded.edge(edge, in: snapshot, maxValueBytes: maxValueBytes))
            } else {
                throw ToolError("id \(id) names no node or edge at \(commits[0]?.description ?? "the empty graph")")
            }
        }
        return ["at": Self.cidText(commits[0]), "nodes": .list(nodes), "edges": .list(edges)]
    }

    func neighbors(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let id = try args.id("id")
        let direction = try args.choice("direction", default: Direction.out)
        let label = try args.string("label")
        let bounds = try PageBounds(args)
        let (repository, commits, start) = try readState(args)
        let snapshot = try Self.snapshot(repository, commits[0])
        guard try Self.library({ () throws(GraphError) in try snapshot.hasNode(id) }) else {
            throw ToolError("id \(id) names no node at \(commits[0]?.description ?? "the empty graph")")
        }
        var page = PageBuilder(bounds, start: start)
        try Self.library { () throws(GraphError) in
            for d in direction == .both ? [Direction.out, .in] : [direction] {
                var scan = try snapshot.neighbors(id, d, label: label)
                while let n = try scan.next() {
                    if page.skipping() { continue }
                    var item: IPLDMap = ["edge": .string(n.edge.description), "label": .string(n.label),
                                         "direction": .string(d.rawValue)]
                    if let node = try snapshot.node(n.node) {
                        item["node"] = Bounded.node(node, in: snapshot, maxValueBytes: bounds.maxValueBytes)
                    }
                    guard page.add(.map(item)) else { return }
                }
            }
        }
        return page.result(commits: commits, extra: ["at": Self.cidText(commits[0])])
    }

    func query(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let label = try args.requiredString("label")
        let property = try args.string("property")
        let equals = try args.value("equals"), from = try args.value("from"), to = try args.value("to")
        if property == nil, equals != nil || from != nil || to != nil {
            throw ToolError("equals, from and to need 'property' (the property they compare)")
        }
        if equals != nil, from != nil || to != nil { throw ToolError("give either equals or from/to, not both") }
        let bounds = try PageBounds(args)
        let (repository, commits, start) = try readState(args)
        var page = PageBuilder(bounds, start: start)
        guard commits[0] != nil else { return page.result(commits: commits, extra: ["at": .null, "total": 0]) }
        let snapshot = try Self.snapshot(repository, commits[0])
        let total: UInt64 = try Self.library { () throws(GraphError) -> UInt64 in
            var scan: NodeIDScan
            let total: UInt64
            if let property, let equals {
                scan = try snapshot.nodes(label: label, where: property, equals: equals)
                total = try snapshot.count(label: label, where: property, equals: equals)
            } else if let property {
                guard from != nil || to != nil else {
                    throw GraphError.unindexableValue("a property filter needs 'equals', or 'from' and/or 'to'")
                }
                scan = try snapshot.nodes(label: label, where: property, from: from, to: to)
                total = try snapshot.count(label: label, where: property, from: from, to: to)
            } else {
                scan = try snapshot.nodes(label: label)
                total = try snapshot.count(label: label)
            }
            while let id = try scan.next() {
                if page.skipping() { continue }
                guard let node = try snapshot.node(id) else { continue }
                guard page.add(Bounded.node(node, in: snapshot, maxValueBytes: bounds.maxValueBytes)) else { break }
            }
            return total
        }
        return page.result(commits: commits, extra: ["at": Self.cidText(commits[0]), "total": .int(total)])
    }

    func schema(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let (repository, commits, _) = try readState(args)
        guard commits[0] != nil else { return ["at": .null, "node_labels": [], "edge_labels": [], "edge_labels_complete": true] }
        let snapshot = try Self.snapshot(repository, commits[0])
        let schema = try Self.library { () throws(GraphError) in try snapshot.schema() }
        let labels: [IPLD] = schema.labels.map { l in
            ["label": .string(l.label), "count": .int(l.count),
             "properties": .list(l.properties.map { ["name": .string($0.name), "count": .int($0.count)] })]
        }
        let edges: [IPLD] = schema.edgeLabels.map { ["label": .string($0.label), "count": .int($0.count)] }
        return ["at": Self.cidText(commits[0]), "node_labels": .list(labels), "edge_labels": .list(edges),
                "edge_labels_complete": .bool(schema.edgeLabelsComplete)]
    }

    func stats(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let (repository, commits, _) = try readState(args)
        let snapshot = commits[0] == nil ? nil : try Self.snapshot(repository, commits[0])
        return try Self.library { () throws(GraphError) -> IPLD in
            var m: IPLDMap = ["at": Self.cidText(commits[0]), "nodes": .int(try snapshot?.nodeCount() ?? 0),
                              "edges": .int(try snapshot?.edgeCount() ?? 0), "branches": .int(try repository.branches().count)]
            m["head_branch"] = try repository.currentBranch().map { .string($0) } ?? .null
            m["head"] = Self.cidText(try repository.head())
            return .map(m)
        }
    }
}
