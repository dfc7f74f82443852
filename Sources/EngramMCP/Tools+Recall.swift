import Engram
import EngramIPLD
import MCP

extension EngramTools {
    static let recallTool = ToolSpec("engram_recall", """
        Recall what memory holds about something: full-text search (BM25) over the nodes' text properties for \
        'text', and/or nearest neighbours of 'vector' among stored embeddings (property 'embedding', of one \
        'model'), fused by rank, optionally expanded along edges to related nodes, packed into a budget of tokens \
        (default 2000). Each item says why it was returned (lane, rank, matched terms, or the expansion path); what \
        did not fit is listed under 'dropped' by id. Facts closed by engram_supersede are left out unless \
        'valid_at' says otherwise.
        """,
        ["text": Schema.string("What to recall, in words."),
         "vector": Schema.array(["type": "number"], "A query embedding (needs 'model')."),
         "model": Schema.string("The embedding model the vector belongs to."),
         "metric": Schema.choice(["cosine", "dot"], "Vector similarity (default cosine)."),
         "labels": Schema.array(["type": "string"], "Only nodes with one of these labels."),
         "where": Schema.properties("Only nodes whose properties equal these values."),
         "valid_at": Schema.integer("Only facts valid at this time (microseconds since the epoch; default now).",
                                    minimum: Int(Int64.min / 2), maximum: Int(Int64.max / 2)),
         "all_validity": Schema.boolean("Include closed facts too (ignore validity)."),
         "expand_hops": Schema.integer("Also return nodes this many edges away from each hit (default 0).", minimum: 0,
                                       maximum: RecallRequest.maxExpansionHops),
         "expand_labels": Schema.array(["type": "string"], "Expand only along edges with these labels."),
         "expand_direction": Schema.choice(["out", "in", "both"], "Expand along which edges (default both)."),
         "budget_tokens": Schema.integer("The result's size in tokens (4 bytes of JSON each; default 2000).", minimum: 1, maximum: 4_000_000),
         "budget_bytes": Schema.integer("The result's size in bytes instead of tokens.", minimum: 1, maximum: 16 << 20),
         "at": Schema.at],
        readOnly: true) { tools, args throws(ToolError) in try tools.recall(args) }

    func recall(_ args: ToolArguments) throws(ToolError) -> IPLD {
        var request = RecallRequest(text: try args.string("text"))
        if let values = try args.array("vector") {
            var floats: [Float] = []
            for (i, v) in values.enumerated() {
                switch v {
                case .int(let n): floats.append(Float(n))
                case .double(let d) where d.isFinite: floats.append(Float(d))
                default: throw ToolError("vector[\(i)] must be a finite number, got \(JSONValues.kind(v))")
                }
            }
            guard let model = try args.string("model") else { throw ToolError("vector needs 'model' (the embedding model)") }
            request.vector = RecallRequest.QueryVector(floats, model: model, metric: try args.choice("metric", default: VectorMetric.cosine))
        }
        guard request.text != nil || request.vector != nil else { throw ToolError("give 'text' and/or 'vector' to recall by") }
        request.filter.labels = (try args.array("labels") ?? []).compactMap(\.stringValue)
        for (name, value) in try args.properties("where") ?? IPLDMap() {
            request.filter.properties.append(NodeFilter.PropertyEquality(name, value))
        }
        if try args.bool("all_validity", default: false) {
            request.filter.validAt = .any
        } else if args.has("valid_at") {
            request.filter.validAt = .at(Int64(try args.int("valid_at", default: 0, in: Int(Int64.min / 2)...Int(Int64.max / 2))))
        }
        let hops = try args.int("expand_hops", default: 0, in: 0...RecallRequest.maxExpansionHops)
        if hops > 0 {
            request.expansion = RecallExpansion(hops: hops, edgeLabels: (try args.array("expand_labels") ?? []).compactMap(\.stringValue),
                                                direction: try args.choice("expand_direction", default: Direction.both))
        }
        if args.has("budget_bytes") {
            request.budget = .bytes(try args.int("budget_bytes", default: 8000, in: 1...(16 << 20)))
        } else {
            request.budget = .tokens(try args.int("budget_tokens", default: 2000, in: 1...4_000_000))
        }
        let repository = try access.read()
        guard let at = try Self.commit(repository, try args.string("at"), argument: "at") else {
            return ["items": [], "dropped": [], "note": "the branch has no commits yet"]
        }
        let result = try Self.library { () throws(GraphError) in try repository.recall(request, at: at.description) }
        return GraphJSON.value(result)
    }
}
