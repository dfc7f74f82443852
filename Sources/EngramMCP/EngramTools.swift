import Engram
import EngramIPLD
import MCP
import Synchronization

/// One tool: its MCP definition and what a call does.
struct ToolSpec: Sendable {
    let tool: Tool
    let run: @Sendable (EngramTools, ToolArguments) throws(ToolError) -> IPLD

    init(_ name: String, _ description: String, _ properties: [String: Value], required: [String] = [],
         readOnly: Bool, destructive: Bool = false,
         run: @escaping @Sendable (EngramTools, ToolArguments) throws(ToolError) -> IPLD) {
        tool = Tool(name: name, description: description, inputSchema: Schema.object(properties, required: required),
                    annotations: Tool.Annotations(readOnlyHint: readOnly, destructiveHint: destructive, openWorldHint: false))
        self.run = run
    }

    /// The argument names the schema declares.
    var argumentNames: Set<String> {
        guard let properties = tool.inputSchema.objectValue?["properties"]?.objectValue else { return [] }
        return Set(properties.keys)
    }
}

/// The tools over one repository, and what they share.
final class EngramTools: Sendable {
    let access: RepositoryAccess
    /// The MCP client's name, the default `agent` of commits.
    let clientName: Mutex<String?>

    static let all: [ToolSpec] = writeTools + readTools + [recallTool] + historyTools + [fetchTool]
    static let byName: [String: ToolSpec] = Dictionary(all.map { ($0.tool.name, $0) }, uniquingKeysWith: { a, _ in a })

    init(access: RepositoryAccess) {
        self.access = access
        clientName = Mutex(nil)
    }

    /// Runs tool `name`; its result as JSON, or the reason it failed.
    func call(_ name: String, _ arguments: [String: Value]?) throws(ToolError) -> IPLD {
        guard let spec = Self.byName[name] else {
            throw ToolError("unknown tool '\(name.prefix(100))'; tools: \(Self.all.map(\.tool.name).joined(separator: ", "))")
        }
        let args = try ToolArguments(tool: name, arguments, allowed: spec.argumentNames)
        return try spec.run(self, args)
    }

    // MARK: Shared pieces

    /// Who and why, from the writing tools' common arguments.
    func commitInfo(_ args: ToolArguments, default message: String) throws(ToolError) -> CommitInfo {
        CommitInfo(author: try args.string("author") ?? access.options.author, message: try args.string("message") ?? message,
                   agent: try args.string("agent") ?? clientName.withLock { $0 })
    }

    /// The commit a revision argument names (nil: the empty graph of an unborn `HEAD`).
    static func commit(_ repository: Repository, _ revision: String?, argument: String) throws(ToolError) -> CID? {
        guard let revision else {
            do { return try repository.head() } catch { throw .wrapping(error) }
        }
        guard revision.utf8.count <= 1024 else { throw ToolError("\(argument) is not a revision (longer than 1024 bytes)") }
        do { return try repository.resolve(revision) } catch {
            throw ToolError("\(argument) '\(revision.prefix(200))' names no commit: \(error) (use a commit CID, a branch name or HEAD, optionally with ~N)")
        }
    }

    /// The graph a read tool reads: `at`, or the cursor's pinned commits when continuing a list.
    func readState(_ args: ToolArguments, revisions: [String] = ["at"]) throws(ToolError)
        -> (repository: Repository, commits: [CID?], start: Int) {
        let repository = try access.read()
        if let text = try args.string("cursor") {
            let cursor = try PageCursor(text, commitCount: revisions.count)
            return (repository, cursor.commits, cursor.offset)
        }
        var commits: [CID?] = []
        for r in revisions { commits.append(try Self.commit(repository, try args.string(r), argument: r)) }
        return (repository, commits, 0)
    }

    /// The graph at `cid`; nil (an unborn branch) has nothing to read.
    static func snapshot(_ repository: Repository, _ cid: CID?) throws(ToolError) -> GraphSnapshot {
        guard let cid else { throw ToolError("the branch has no commits yet: nothing to read (engram_remember adds the first)") }
        do { return try repository.snapshot(cid) } catch { throw .wrapping(error) }
    }

    static func cidText(_ cid: CID?) -> IPLD { cid.map { .string($0.description) } ?? .null }

    /// Runs a library call, turning its error into a tool error.
    static func library<T>(_ body: () throws(GraphError) -> T) throws(ToolError) -> T {
        do { return try body() } catch { throw .wrapping(error) }
    }
}
