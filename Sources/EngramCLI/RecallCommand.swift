import ArgumentParser
import Engram
import EngramIPLD

/// `engram recall`: what memory holds about a text (and/or a vector), ranked, expanded and
/// packed under a budget.
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall", abstract: "Recall nodes by text and/or vector, fused, expanded and packed under a budget.",
        discussion: """
        The text is searched with BM25 over the full-text index ("quoted phrases" and prefix* work); a vector \
        (--vector-file, a JSON array of numbers, with --model) is searched by similarity. The two rankings are \
        fused by reciprocal rank; each hit can bring its neighbours (--expand N hops, --edge-label to choose \
        the edges). Items are packed best first until the budget is used; what did not fit is reported.
        """)
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The text to recall.") var text: String?
    @Option(help: "Only nodes with this label (repeatable).") var label: [String] = []
    @Option(name: .customLong("where"), help: "Only nodes whose property equals this value, k=v (repeatable).") var wheres: [String] = []
    @Option(help: "Recall from this revision (default: HEAD).") var at: String = "HEAD"
    @Option(name: .customLong("valid-at"), help: "Only facts valid at this time: ISO 8601, microseconds since the epoch, 'now' (the default) or 'any'.")
    var validAt: String = "now"
    @Option(help: "Expand each hit by this many hops (1 to \(RecallRequest.maxExpansionHops)).") var expand: Int?
    @Option(name: .customLong("edge-label"), help: "Follow only edges with this label when expanding (repeatable).") var edgeLabels: [String] = []
    @Option(name: .customLong("per-hit"), help: "At most this many nodes brought along by one hit.") var perHit: Int = 10
    @Option(help: "The budget (default 2000 tokens).") var budget: Int = 2_000
    @Flag(help: "Count the budget in bytes of JSON instead of tokens (4 bytes each).") var bytes = false
    @Option(help: "How many candidates each lane contributes before fusion.") var candidates: Int = 50
    @Option(name: .customLong("vector-file"), help: "A JSON file holding the query vector, an array of numbers ('-' reads stdin).")
    var vectorFile: String?
    @Option(help: "The model the query vector was made by (with --vector-file).") var model: String?
    @Option(help: "The similarity of the vector lane: cosine or dot.") var metric: String = "cosine"
    @Flag(help: "Print the result as one JSON object.") var json = false

    func validate() throws {
        if text == nil && vectorFile == nil { throw ValidationError("give a text, --vector-file, or both") }
        if vectorFile != nil && model == nil { throw ValidationError("--vector-file needs --model (the model that made the vector)") }
        if model != nil && vectorFile == nil { throw ValidationError("--model applies to --vector-file") }
        if VectorMetric(rawValue: metric) == nil { throw ValidationError("--metric is cosine or dot, not '\(metric)'") }
    }

    func run() throws {
        // As the writer when no other process is, so the full-text postings derived for this
        // recall are saved for the next one (SPEC.md 7.11); else beside the writer, read-only.
        let repository = try (try? repo.openGraph(readOnly: false)) ?? repo.openGraph(readOnly: true)
        var vector: RecallRequest.QueryVector?
        if let vectorFile, let model {
            vector = RecallRequest.QueryVector(try Self.readVector(vectorFile), model: model, metric: VectorMetric(rawValue: metric) ?? .cosine)
        }
        let filter = NodeFilter(labels: label, properties: try wheres.map { p in
            let (k, v) = try GraphArgs.property(p)
            return NodeFilter.PropertyEquality(k, v)
        }, validAt: try ValidAtArgument.parse(validAt))
        let request = RecallRequest(text: text, vector: vector, filter: filter,
                                    expansion: expand.map { RecallExpansion(hops: $0, edgeLabels: edgeLabels, perHit: perHit) },
                                    budget: bytes ? .bytes(budget) : .tokens(budget), candidatesPerLane: candidates)
        let result = try repository.recall(request, at: at)
        if json {
            GraphArgs.printJSON(GraphJSON.value(result))
            return
        }
        Self.printHuman(result)
    }

    /// The numbers of a JSON array file.
    static func readVector(_ path: String) throws -> [Float] {
        let bytes = try readFile(path == "-" ? "/dev/stdin" : path)
        // 4,096 dimensions (the embedding limit) fit in well under a megabyte of JSON.
        guard bytes.count <= 1 << 20 else { throw ValidationError("\(path) is over 1 MiB: not a query vector") }
        guard case .list(let items)? = try? DAGJSON.decode(bytes) else {
            throw ValidationError("\(path) is not a JSON array of numbers")
        }
        return try items.enumerated().map { i, item in
            switch item {
            case .float(let d) where d.isFinite && abs(d) <= Double(Float.greatestFiniteMagnitude): return Float(d)
            case .integer(let n): if let v = n.int64 { return Float(v) }
            default: break
            }
            throw ValidationError("\(path): element \(i) is not a finite number")
        }
    }

    static func printHuman(_ result: RecallResult) {
        let unit = if case .bytes = result.budget { "bytes" } else { "tokens" }
        for (n, item) in result.items.enumerated() {
            let why = item.reasons.map(describe).joined(separator: "; ")
            print("\(n + 1). \(item.node.id) \(item.node.label)  score \(format(item.score))  [\(why)]")
            print("   " + summary(item.node))
        }
        if result.items.isEmpty { print("nothing recalled") }
        print("used \(result.used) of \(result.budget.limit) \(unit)" +
              (result.dropped.isEmpty ? "" : "; \(result.dropped.count) more did not fit"))
    }

    static func describe(_ reason: RecallReason) -> String {
        switch reason {
        case .lane(.text, let rank, let score, let terms):
            "text #\(rank) bm25 \(format(score))" + (terms.isEmpty ? "" : " (" + terms.joined(separator: ", ") + ")")
        case .lane(let lane, let rank, let score, _): "\(lane.rawValue) #\(rank) \(format(score))"
        case .expansion(let from, let path, let hops): "\(hops) hop\(hops == 1 ? "" : "s") from \(from) via \(path.count) edge\(path.count == 1 ? "" : "s")"
        }
    }

    static func format(_ x: Double) -> String {
        let scaled = (x * 10_000).rounded() / 10_000
        return "\(scaled)"
    }

    /// The node's properties as JSON, cut to one line of at most 160 characters.
    static func summary(_ node: Node) -> String {
        let text = GraphJSON.text(.map(node.props))
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= 160 ? line : String(line.prefix(159)) + "…"
    }
}
