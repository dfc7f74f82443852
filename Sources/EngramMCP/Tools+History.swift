import Engram
import EngramIPLD
import EngramProlly
import MCP

extension EngramTools {
    static let historyTools: [ToolSpec] = [
        ToolSpec("engram_log", """
            The history of memory, newest first: each commit's cid, parents, author, agent, time (microseconds since \
            the epoch) and message. Start from 'revision' (default HEAD). Paginated: pass next_cursor back for more.
            """,
            Schema.merging(["revision": Schema.string("Where the history starts (default HEAD)."),
                            "first_parent": Schema.boolean("Follow first parents only (the branch's own line).")], Schema.page),
            readOnly: true) { tools, args throws(ToolError) in try tools.log(args) },
        ToolSpec("engram_show", """
            One commit: its metadata and what it changed against its first parent (nodes and edges added, removed, \
            changed field by field). Paginated over the changes.
            """,
            Schema.merging(["revision": Schema.string("The commit (a CID, a branch, HEAD, with optional ~N).")], Schema.page),
            required: ["revision"], readOnly: true) { tools, args throws(ToolError) in try tools.show(args) },
        ToolSpec("engram_diff", """
            What changed between any two revisions ('from' and 'to', default to HEAD): nodes and edges added, removed, \
            and changed field by field (old and new values). Paginated.
            """,
            Schema.merging(["from": Schema.string("The older revision."), "to": Schema.string("The newer revision (default HEAD).")],
                           Schema.page),
            required: ["from"], readOnly: true) { tools, args throws(ToolError) in try tools.diff(args) },
        ToolSpec("engram_branch", """
            Branches of memory: 'list' them (default), 'create' one named 'name' at 'at' (default HEAD) to try changes \
            apart from the main line, or 'delete' one. Writing tools take 'branch' to commit there; engram_merge brings \
            a branch back.
            """,
            ["action": Schema.choice(["list", "create", "delete"], "What to do (default list)."),
             "name": Schema.string("The branch name (for create and delete)."), "at": Schema.at],
            readOnly: false) { tools, args throws(ToolError) in try tools.branch(args) },
        ToolSpec("engram_checkout", """
            Point HEAD (the default branch of every tool, shared by every process on this repository) at a branch, or \
            detach it at a revision. Prefer passing 'branch' or 'at' to each tool when only this call should differ.
            """,
            ["branch": Schema.string("The branch to check out."), "revision": Schema.string("A revision to detach HEAD at.")],
            readOnly: false) { tools, args throws(ToolError) in try tools.checkout(args) },
        ToolSpec("engram_merge", """
            Merge revision 'from' (usually a branch) into branch 'into' (default: HEAD's branch): a fast-forward when \
            possible, else a merge commit. With strategy 'fail' (default) conflicting changes are returned as data \
            (entity, field, base/ours/theirs values) and nothing changes; 'ours' or 'theirs' settles every conflict \
            for one side.
            """,
            Schema.merging(["from": Schema.string("The revision to merge in."), "into": Schema.string("The branch to merge into."),
                            "strategy": Schema.choice(["fail", "ours", "theirs"], "How conflicts are settled (default fail).")],
                           Schema.commit.filter { $0.key != "branch" }),
            required: ["from"], readOnly: false) { tools, args throws(ToolError) in try tools.merge(args) },
        ToolSpec("engram_revert", """
            Undo one commit with a new commit on 'branch' (default HEAD's branch): what it added is removed, what it \
            removed comes back, changed fields get their old values; later changes stay. Where a later commit changed \
            the same fields, nothing changes and the conflicts are returned as data.
            """,
            Schema.merging(["revision": Schema.string("The commit to undo.")], Schema.commit),
            required: ["revision"], readOnly: false) { tools, args throws(ToolError) in try tools.revert(args) },
    ]

    func log(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let firstParent = try args.bool("first_parent", default: false)
        let bounds = try PageBounds(args, defaultLimit: 50)
        let (repository, commits, start) = try readState(args, revisions: ["revision"])
        var page = PageBuilder(bounds, start: start)
        if let from = commits[0] {
            try Self.library { () throws(GraphError) in
                var done = false
                try repository.log(from: from, firstParent: firstParent) { entry throws(GraphError) in
                    guard !done, !page.skipping() else { return }
                    if !page.add(GraphJSON.value(entry.commit, cid: entry.cid)) { done = true }
                }
            }
        }
        return page.result(commits: commits)
    }

    func show(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let bounds = try PageBounds(args)
        let (repository, commits, start) = try readState(args, revisions: ["revision"])
        guard let cid = commits[0] else { throw ToolError("revision names no commit (the branch is unborn)") }
        let commit = try Self.library { () throws(GraphError) in try repository.commit(cid) }
        let changes = try changes(repository, from: commit.parents.first, to: cid, bounds: bounds, start: start)
        return changes.result(commits: commits, extra: ["commit": GraphJSON.value(commit, cid: cid)])
    }

    func diff(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let bounds = try PageBounds(args)
        let (repository, commits, start) = try readState(args, revisions: ["from", "to"])
        let page = try changes(repository, from: commits[0], to: commits[1], bounds: bounds, start: start)
        return page.result(commits: commits, extra: ["from": Self.cidText(commits[0]), "to": Self.cidText(commits[1])])
    }

    /// One page of the changes from `a` to `b`, each `{"entity", "change", ...}`.
    func changes(_ repository: Repository, from a: CID?, to b: CID?, bounds: PageBounds, start: Int) throws(ToolError) -> PageBuilder {
        var page = PageBuilder(bounds, start: start)
        guard let b else { throw ToolError("to names an unborn branch: no commit to compare") }
        guard let a else { return try everythingAdded(repository, b, page) }
        let old = try Self.snapshot(repository, a), new = try Self.snapshot(repository, b)
        let diff = try Self.library { () throws(GraphError) in try old.diff(to: new) }
        let items = diff.nodes.lazy.map { c in Self.change(c, "node", old, new, bounds) { Bounded.node($0, in: $1, maxValueBytes: $2) } }
            + diff.edges.lazy.map { c in Self.change(c, "edge", old, new, bounds) { Bounded.edge($0, in: $1, maxValueBytes: $2) } }
        for item in items {
            if page.skipping() { continue }
            if !page.add(item) { break }
        }
        return page
    }

    /// The changes of a root commit: every node and edge it holds, added.
    func everythingAdded(_ repository: Repository, _ cid: CID, _ page: PageBuilder) throws(ToolError) -> PageBuilder {
        var page = page
        let state = try Self.snapshot(repository, cid)
        try Self.library { () throws(GraphError) in
            for (tree, kind) in [(state.nodes, "node"), (state.edges, "edge")] {
                var entries = try Self.prolly { () throws(ProllyError) in try tree.entries() }
                while let entry = try Self.prolly({ () throws(ProllyError) in try entries.next() }) {
                    guard let id = EntityID(bytes: entry.key), !page.skipping() else { continue }
                    let value: IPLD? = if kind == "node" {
                        try state.node(id).map { Bounded.node($0, in: state, maxValueBytes: page.bounds.maxValueBytes) }
                    } else {
                        try state.edge(id).map { Bounded.edge($0, in: state, maxValueBytes: page.bounds.maxValueBytes) }
                    }
                    guard let value else { continue }
                    if !page.add(["entity": .string(kind), "change": "added", "value": value]) { return }
                }
            }
        }
        return page
    }

    static func prolly<R>(_ body: () throws(ProllyError) -> R) throws(GraphError) -> R {
        do { return try body() } catch { throw .tree(error) }
    }

    static func change<T>(_ change: EntityChange<T>, _ kind: String, _ old: GraphSnapshot, _ new: GraphSnapshot, _ bounds: PageBounds,
                          _ show: (T, GraphSnapshot, Int) -> IPLD) -> IPLD {
        switch change {
        case .added(let v): return ["entity": .string(kind), "change": "added", "value": show(v, new, bounds.maxValueBytes)]
        case .removed(let v): return ["entity": .string(kind), "change": "removed", "value": show(v, old, bounds.maxValueBytes)]
        case .changed(_, let v, let fields):
            let id = show(v, new, bounds.maxValueBytes)["id"] ?? .null
            return ["entity": .string(kind), "change": "changed", "id": id,
                    "fields": .list(fields.map { f in
                        var m: IPLDMap = ["field": .string(f.field.description)]
                        if let o = f.old { m["old"] = bounded(GraphJSON.fieldValue(f.field, o), bounds) }
                        if let n = f.new { m["new"] = bounded(GraphJSON.fieldValue(f.field, n), bounds) }
                        return .map(m)
                    })]
        }
    }

    /// A field value, or its size when it is over the value budget (fetch it with engram_get at either side).
    static func bounded(_ v: IPLD, _ bounds: PageBounds) -> IPLD {
        let size = JSONValues.text(v).utf8.count
        return size > bounds.maxValueBytes ? ["engram_large_value": ["bytes": .int(size), "fetch": "engram_get with at"]] : v
    }

    func branch(_ args: ToolArguments) throws(ToolError) -> IPLD {
        switch try args.string("action") ?? "list" {
        case "list":
            let repository = try access.read()
            return try Self.library { () throws(GraphError) -> IPLD in
                ["head_branch": try repository.currentBranch().map { .string($0) } ?? .null,
                 "branches": .list(try repository.branches().prefix(10_000).map { ["name": .string($0.name), "head": .string($0.head.description)] })]
            }
        case "create":
            let name = try args.requiredString("name")
            let at = try args.string("at")
            return try access.write { (repository: Repository) throws -> IPLD in
                guard let cid = try Self.commit(repository, at, argument: "at") else {
                    throw ToolError("at names no commit: the branch has no commits yet")
                }
                try repository.createBranch(name, at: cid)
                return IPLD.map(["status": "created", "name": .string(name), "head": .string(cid.description)])
            }
        case "delete":
            let name = try args.requiredString("name")
            return try access.write { (repository: Repository) throws -> IPLD in
                try repository.deleteBranch(name)
                return IPLD.map(["status": "deleted", "name": .string(name)])
            }
        case let other:
            throw ToolError("action '\(other.prefix(40))' is not list, create or delete")
        }
    }

    func checkout(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let branch = try args.string("branch"), revision = try args.string("revision")
        guard (branch == nil) != (revision == nil) else { throw ToolError("give exactly one of branch or revision") }
        return try access.write { (repository: Repository) throws -> IPLD in
            if let branch {
                try repository.checkout(branch: branch)
            } else if let cid = try Self.commit(repository, revision, argument: "revision") {
                try repository.checkout(detached: cid)
            }
            return IPLD.map(["head_branch": try repository.currentBranch().map { .string($0) } ?? .null,
                             "head": Self.cidText(try repository.head())])
        }
    }

    func merge(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let from = try args.requiredString("from")
        let into = try args.string("into")
        let policy = try args.choice("strategy", default: MergePolicy.fail)
        let info = try commitInfo(args, default: "merge \(from)")
        return try access.write { (repository: Repository) throws -> IPLD in
            guard let theirs = try Self.commit(repository, from, argument: "from") else { throw ToolError("from names no commit") }
            do {
                let outcome = try repository.merge(theirs, into: into, policy: policy, info)
                switch outcome {
                case .upToDate(let c): return IPLD.map(["status": "up_to_date", "commit": .string(c.description)])
                case .fastForward(let c): return IPLD.map(["status": "fast_forward", "commit": .string(c.description)])
                case .merged(let c, let resolved):
                    return IPLD.map(["status": "merged", "commit": .string(c.description),
                                     "resolved": .list(resolved.map(ConflictJSON.value))])
                }
            } catch GraphError.mergeConflict(let conflicts) {
                return ConflictJSON.result(conflicts, during: "merge")
            } catch GraphError.commitConflict(let conflicts) {
                return ConflictJSON.result(conflicts, during: "merge")
            }
        }
    }

    func revert(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let revision = try args.requiredString("revision")
        let branch = try args.string("branch")
        let info = try commitInfo(args, default: "revert \(revision)")
        return try access.write { (repository: Repository) throws -> IPLD in
            guard let cid = try Self.commit(repository, revision, argument: "revision") else { throw ToolError("revision names no commit") }
            do {
                let commit = try repository.revert(cid, on: branch, info)
                return IPLD.map(["status": "committed", "commit": .string(commit.description), "reverted": .string(cid.description)])
            } catch GraphError.commitConflict(let conflicts) {
                return ConflictJSON.result(conflicts, during: "revert")
            }
        }
    }
}
