import Engram
import EngramIPLD
import EngramProlly

/// How much one list result may hold: at most `limit` items and about `maxBytes` bytes of JSON
/// (an item is never cut: the first item of a page is always included, the rest only while they
/// fit). What does not fit is fetched with the `next_cursor` the result carries.
struct PageBounds {
    var limit: Int
    var maxBytes: Int
    /// Property values longer than this (as JSON) are replaced by a reference to fetch them by.
    var maxValueBytes: Int

    static let defaultMaxBytes = 64 << 10
    static let largestMaxBytes = 16 << 20

    init(_ args: ToolArguments, defaultLimit: Int = 100) throws(ToolError) {
        limit = try args.int("limit", default: defaultLimit, in: 1...10_000)
        maxBytes = try args.int("max_bytes", default: Self.defaultMaxBytes, in: 256...Self.largestMaxBytes)
        maxValueBytes = try args.int("max_value_bytes", default: 4096, in: 16...Self.largestMaxBytes)
    }
}

/// Where a list continues: the commits it reads (so every page reads the same state, whatever
/// moved since) and how many items came before. Text form `c1:<cid>,<cid>:<offset>`, `-` for
/// the empty graph of an unborn branch.
struct PageCursor: Equatable {
    var commits: [CID?]
    var offset: Int

    var text: String {
        "c1:" + commits.map { $0?.description ?? "-" }.joined(separator: ",") + ":\(offset)"
    }

    init(commits: [CID?], offset: Int) {
        self.commits = commits
        self.offset = offset
    }

    init(_ text: String, commitCount: Int) throws(ToolError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "c1", let offset = Int(parts[2]), offset >= 0 else {
            throw ToolError("cursor '\(text.prefix(100))' is not a cursor this tool returned")
        }
        var commits: [CID?] = []
        for c in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
            if c == "-" { commits.append(nil); continue }
            guard let cid = CID(String(c)) else { throw ToolError("cursor '\(text.prefix(100))' names no commit") }
            commits.append(cid)
        }
        guard commits.count == commitCount else { throw ToolError("cursor '\(text.prefix(100))' belongs to another tool") }
        self.commits = commits
        self.offset = offset
    }
}

/// Collects one page of items.
struct PageBuilder {
    let bounds: PageBounds
    let start: Int
    private(set) var items: [IPLD] = []
    private(set) var bytes = 0
    private(set) var seen = 0
    /// Set once an item did not fit: more items remain.
    private(set) var isFull = false

    init(_ bounds: PageBounds, start: Int) {
        self.bounds = bounds
        self.start = start
    }

    /// Whether the item at the next position is wanted (false: skip it, it is before the page).
    mutating func skipping() -> Bool {
        guard seen < start else { return false }
        seen += 1
        return true
    }

    /// Adds an item; false (and the page is full) when it does not fit.
    mutating func add(_ item: IPLD) -> Bool {
        guard !isFull else { return false }
        let size = JSONValues.text(item).utf8.count + 1
        if items.count >= bounds.limit || (!items.isEmpty && bytes + size > bounds.maxBytes) {
            isFull = true
            return false
        }
        items.append(item)
        bytes += size
        seen += 1
        return true
    }

    /// The page as `{"items", "next_cursor"?}` plus `extra` fields.
    func result(commits: [CID?], extra: IPLDMap = IPLDMap()) -> IPLD {
        var m = extra
        m["items"] = .list(items)
        if isFull { m["next_cursor"] = .string(PageCursor(commits: commits, offset: seen).text) }
        return .map(m)
    }
}

/// JSON views of nodes and edges within a page's value budget.
enum Bounded {
    /// A node, with each property longer than `maxValueBytes` replaced by a reference.
    static func node(_ node: Node, in snapshot: GraphSnapshot, maxValueBytes: Int) -> IPLD {
        var v = GraphJSON.value(node).mapValue ?? IPLDMap()
        v["props"] = .map(shrunk(node.props, block: { block(snapshot.nodes, node.id) }, maxValueBytes))
        return .map(v)
    }

    static func edge(_ edge: Edge, in snapshot: GraphSnapshot, maxValueBytes: Int) -> IPLD {
        var v = GraphJSON.value(edge).mapValue ?? IPLDMap()
        v["props"] = .map(shrunk(edge.props, block: { block(snapshot.edges, edge.id) }, maxValueBytes))
        return .map(v)
    }

    static func block(_ tree: ProllyTree, _ id: EntityID) -> CID? {
        guard case .link(let cid)? = try? tree.get(id.bytes) else { return nil }
        return cid
    }

    static func shrunk(_ props: IPLDMap, block: () -> CID?, _ maxValueBytes: Int) -> IPLDMap {
        var out = props
        var cid: CID?? = nil
        for (name, value) in props {
            let size = JSONValues.text(value).utf8.count
            guard size > maxValueBytes else { continue }
            if cid == nil { cid = .some(block()) }
            var ref: IPLDMap = ["property": .string(name), "bytes": .int(size),
                                "fetch": .string("engram_fetch with this cid and property")]
            if case .some(.some(let c)) = cid { ref["cid"] = .string(c.description) }
            out[name] = .map(["engram_large_value": .map(ref)])
        }
        return out
    }
}
