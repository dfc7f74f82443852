import ArgumentParser
import Engram
import EngramIPLD

/// `engram diff`: what changed between two revisions.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show nodes and edges added, removed and changed.",
        discussion: "diff <old> <new> compares two revisions; diff <rev> shows what <rev> changed (a first commit against the empty graph); diff --staged shows the staged changes against the commit they apply to.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The old revision (alone: the revision whose changes are shown).") var from: String?
    @Argument(help: "The new revision.") var to: String?
    @Flag(name: [.customLong("staged"), .customLong("cached")], help: "Show the staged changes.") var staged = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let diff: GraphDiff
        switch (from, to, staged) {
        case (nil, nil, true): diff = try StagedChanges.load(repository, at: repo.stagedFile).transaction(repository).diff()
        case (let rev?, nil, false): diff = try repository.diff(introducedBy: try repository.resolve(rev))
        case (let a?, let b?, false): diff = try repository.diff(try repository.resolve(a), try repository.resolve(b))
        default: throw ValidationError("diff takes <old> <new>, one revision, or --staged alone")
        }
        if json {
            GraphArgs.printJSON(GraphJSON.value(diff))
            return
        }
        DiffText.print(diff)
    }
}

/// `engram branch`: list, create and delete branches.
struct BranchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "branch", abstract: "List branches, create one, or delete one.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The branch to create.") var name: String?
    @Option(help: "Where the new branch starts (default: HEAD).") var from: String = "HEAD"
    @Option(name: .customShort("d"), help: "Delete this branch; refused when its head is not reachable from HEAD (not merged).") var delete: String?
    @Option(name: .customShort("D"), help: "Delete this branch even when it is not merged (its commits stay in the reflog until GC).") var forceDelete: String?
    @Flag(help: "Print JSON lines when listing (full CIDs).") var json = false
    @Flag(name: .customLong("no-abbrev"), help: "Print full CIDs.") var noAbbrev = false

    func run() throws {
        if let name = delete ?? forceDelete {
            try repo.openGraph().deleteBranch(name, force: forceDelete != nil)
            return
        }
        if let name {
            let repository = try repo.openGraph()
            try repository.createBranch(name, at: try repository.resolve(from))
            return
        }
        let repository = try repo.openGraph(readOnly: true)
        let current = try repository.currentBranch()
        let short = try ShortCIDs(full: noAbbrev || json, repository)
        for b in try repository.branches() {
            if json { GraphArgs.printJSON(["name": .string(b.name), "head": .string(b.head.description), "current": .bool(b.name == current)]) } else {
                print("\(b.name == current ? "*" : " ") \(b.name) \(short(b.head))")
            }
        }
    }
}

/// `engram checkout`: switch branch, or detach at a revision.
struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkout", abstract: "Point HEAD at a branch, or detach it at a revision.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "A branch name or a revision.") var target: String

    func run() throws {
        let repository = try repo.openGraph()
        let staged = try StagedChanges.load(repository, at: repo.stagedFile)
        guard staged.ops.isEmpty else { throw CLIError("changes are staged: commit them first") }
        if try repository.branchHead(target) != nil || repository.currentBranch() == target {
            try repository.checkout(branch: target)
        } else {
            try repository.checkout(detached: try repository.resolve(target))
        }
    }
}

/// `engram merge`: merge a branch into the current one.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Merge a branch or revision into the current branch.")
    enum Strategy: String, ExpressibleByArgument { case ours, theirs }
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var commit: CommitOptions
    @Argument(help: "The branch or revision to merge.") var revision: String?
    @Option(help: "Settle conflicts with our or their side (default: report them and change nothing).") var strategy: Strategy?
    @Option(help: ArgumentHelp("""
        Settle one conflict: <id>.<property>=ours|theirs|<JSON value> a field (also <id>.label, <id>.src, <id>.dst); \
        <id>=ours|theirs every conflict of a node or edge, among them one side removing it while the other changed it \
        and an edge at a node the other side removed (a node's choice also settles its edges'). Repeatable; other \
        conflicts go to --strategy.
        """, valueName: "id[.prop]=choice"))
    var resolve: [String] = []
    @Flag(name: .customLong("continue"), help: "Merge again what the last conflicting merge tried, settled as .engram/MERGE_CONFLICTS now says.")
    var continueMerge = false
    @Flag(help: "Forget the last conflicting merge (remove .engram/MERGE_CONFLICTS).") var abort = false
    @Flag(help: "Print JSON (conflicts as objects with the --resolve key of each; full CIDs).") var json = false
    @Flag(name: .customLong("no-abbrev"), help: "Print full CIDs.") var noAbbrev = false

    func run() throws {
        let file = MergeConflictFile(path: repo.storeDirectory + "/MERGE_CONFLICTS")
        let repository = try repo.openGraph()
        if abort {
            file.remove()
            return
        }
        var policy = MergePolicy.fail
        if strategy == .ours { policy = .ours }
        if strategy == .theirs { policy = .theirs }
        let head = try repository.head()
        let target: CID, name: String, settlements: [String]
        var kept: [IPLD] = []
        if continueMerge {
            let pending = try file.load()
            guard pending.head == head else {
                throw CLIError("the branch moved since the conflicting merge: merge \(pending.revision) again (or merge --abort)")
            }
            (target, name, settlements, kept) = (pending.merge, pending.revision, pending.settlements + resolve, pending.settledLines)
        } else {
            guard let revision else { throw ValidationError("name the branch or revision to merge (or --continue, --abort)") }
            (target, name, settlements) = (try repository.resolve(revision), revision, resolve)
        }
        let resolutions = try MergeResolveArguments.parse(settlements, in: repository, ours: head, theirs: target)
        let outcome: MergeOutcome
        do {
            outcome = try repository.merge(target, policy: policy, resolutions: resolutions, commit.info(defaultMessage: "merge \(name)"))
        } catch {
            guard case .mergeConflict(let conflicts) = error else { throw error }
            try file.save(head: head, merge: target, revision: name, settlements: settlements, conflicts: conflicts, kept: kept)
            if json { GraphArgs.printJSON(["result": "conflict", "conflicts": .list(conflicts.map(MergeResolveArguments.json))]) } else {
                for c in conflicts { print("conflict: \(c)") }
                print("""
                    settle each with --resolve \(MergeResolveArguments.syntax), or all with --strategy ours|theirs; \
                    or set "take" in \(file.path) to "ours", "theirs" or {"value": ...} and run `engram merge --continue`
                    """)
            }
            throw error
        }
        file.remove()
        var kind = "merged"
        var resolved: [MergeConflict] = []
        switch outcome {
        case .upToDate: kind = "up-to-date"
        case .fastForward: kind = "fast-forward"
        case .merged(_, let r): resolved = r
        }
        if json {
            GraphArgs.printJSON(["result": .string(kind), "commit": .string(outcome.commit.description),
                                 "resolved": .list(resolved.map(MergeResolveArguments.json))])
        } else {
            print("\(kind) \(try ShortCIDs(full: noAbbrev, repository)(outcome.commit))")
            for c in resolved { print("resolved: \(c)") }
        }
    }
}
