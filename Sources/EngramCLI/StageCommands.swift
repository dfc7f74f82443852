import ArgumentParser
import Engram
import EngramIPLD

/// `engram reset`: discard every staged change (as `git reset` unstages; Engram has no working
/// tree, so unstaged is discarded).
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Discard every staged change.")
    @OptionGroup var repo: RepositoryOptions

    func run() throws {
        let repository = try repo.openGraph()
        let staged = try StagedChanges.load(repository, at: repo.stagedFile)
        staged.clear()
        print("discarded \(staged.ops.count) staged change(s)")
    }
}

/// `engram restore`: discard the staged changes of some nodes and edges, or all of them.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Discard the staged changes of the given nodes and edges (all of them with --staged and no id).",
        discussion: """
            The rest of the stage must still hold together: restoring a node that a staged edge \
            needs is refused (restore the edge too).
            """)
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The node and edge ids whose staged changes are discarded.") var ids: [String] = []
    @Flag(help: "Discard every staged change when no id is given (as `engram reset`).") var staged = false

    func run() throws {
        guard !ids.isEmpty || staged else { throw ValidationError("name the ids to restore, or pass --staged to restore everything") }
        let repository = try repo.openGraph()
        var stage = try StagedChanges.load(repository, at: repo.stagedFile)
        guard !ids.isEmpty else {
            stage.clear()
            print("discarded \(stage.ops.count) staged change(s)")
            return
        }
        let wanted = Set(try ids.map(GraphArgs.id))
        let before = stage.ops.count
        var found: Set<EntityID> = []
        stage.ops.removeAll { op in
            guard wanted.contains(op.entity) else { return false }
            found.insert(op.entity)
            return true
        }
        if let missing = wanted.subtracting(found).sorted().first {
            throw CLIError("nothing is staged for \(missing)")
        }
        try stage.check(repository)
        if stage.ops.isEmpty { stage.clear() } else { try stage.save() }
        print("discarded \(before - stage.ops.count) staged change(s)")
    }
}

extension ChangeOp {
    /// The node or edge the change is about.
    var entity: EntityID {
        switch self {
        case .putNode(let n): n.id
        case .putEdge(let e): e.id
        case .deleteNode(let id), .deleteEdge(let id): id
        }
    }
}
