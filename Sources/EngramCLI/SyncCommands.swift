import ArgumentParser
import Engram
import EngramIPLD
import EngramStore
import EngramSync
#if canImport(Glibc)
import Glibc
#endif

/// `engram remote add|list|remove`.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Manage the repositories this one syncs with.",
        subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a remote: a repository directory or an http(s):// server.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The remote's name (one ref component, e.g. origin).") var name: String
        @Argument(help: "A directory holding a repository, or http://host:port[/repo].") var url: String

        func run() throws {
            var remotes = try Remotes(repository: repo)
            try remotes.add(name, url: RemoteEndpoints.canonical(url))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the remotes.")
        @OptionGroup var repo: RepositoryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let remotes = try Remotes(repository: repo)
            if json {
                GraphArgs.printJSON(.list(remotes.entries.map { .map(["name": .string($0.name), "url": .string($0.url)]) }))
            } else {
                for r in remotes.entries { print("\(r.name)\t\(r.url)") }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a remote and its remote-tracking refs.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            var remotes = try Remotes(repository: repo)
            try remotes.remove(name)
            let repository = try repo.openGraph()
            let tracking = try repository.refs.list(prefix: "refs/remotes/\(name)/")
            guard !tracking.isEmpty else { return }
            _ = try repository.refs.commit(blocks: [], updates: tracking.map { RefUpdate(name: $0.name, expected: .value($0.value), new: nil) },
                                           message: "remote remove \(name)")
        }
    }
}

/// What every sync command takes: the remote, credentials, how to report.
struct SyncOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A file whose first line is the bearer token for an HTTP remote (default: $ENGRAM_TOKEN).", valueName: "file"))
    var tokenFile: String?
    @Flag(help: "Print round trips, blocks and bytes moved.") var stats = false
    @Flag(help: "Print JSON.") var json = false

    func endpoint(remote: String, repo: RepositoryOptions) throws -> any SyncEndpoint {
        let remotes = try Remotes(repository: repo)
        let url = remotes.url(of: remote) ?? remote
        if remotes.url(of: remote) == nil, !url.contains("/"), !url.contains(":") {
            throw CLIError.notFound("no remote '\(remote)' (see `engram remote list`)")
        }
        return try RemoteEndpoints.endpoint(for: url, token: try token())
    }

    /// The remote's endpoint, this repository opened as the writer, and a progress line
    /// (`verb`: what the blocks do, "received" or "sent") to finish when the command ends.
    func open(remote: String, repo: RepositoryOptions, verb: String) throws -> (any SyncEndpoint, Repository, ProgressLine) {
        (try endpoint(remote: remote, repo: repo), try repo.openGraph(), ProgressLine(verb))
    }

    func token() throws -> String? {
        if let tokenFile { return try TokenFile.read(tokenFile) }
        return getenv("ENGRAM_TOKEN").flatMap { String(validatingCString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func report(_ stats: TransferStats, _ updated: [RefChange], extra: [(String, IPLD)] = []) {
        if json {
            var fields: [(String, IPLD)] = [("updated", .list(updated.map { u in
                .map(["ref": .string(u.ref), "old": u.old.map { .string($0) } ?? .null, "new": .string(u.new)])
            }))]
            if self.stats { fields.append(("stats", Self.ipld(stats))) }
            GraphArgs.printJSON(.map(IPLDMap(uniqueKeysWithValues: fields + extra)))
            return
        }
        for u in updated { print("\(u.ref): \(u.old.map { String($0.prefix(16)) + "…" } ?? "(new)") -> \(u.new)") }
        if self.stats {
            print("round trips: \(stats.roundTrips); received \(stats.blocksReceived) blocks, \(stats.bytesReceived) bytes; "
                  + "sent \(stats.blocksSent) blocks, \(stats.bytesSent) bytes; already had \(stats.blocksAlreadyHad); "
                  + "resumed \(stats.blocksResumed)")
        }
    }

    static func ipld(_ s: TransferStats) -> IPLD {
        .map(["round_trips": .int(s.roundTrips), "blocks_received": .int(s.blocksReceived), "bytes_received": .int(s.bytesReceived),
              "blocks_sent": .int(s.blocksSent), "bytes_sent": .int(s.bytesSent), "blocks_already_had": .int(s.blocksAlreadyHad),
              "blocks_resumed": .int(s.blocksResumed), "blocks_duplicated": .int(s.blocksDuplicated)])
    }
}

/// `engram fetch [remote] [branch...]`.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Receive a remote's branches into refs/remotes/<remote>/ (only the blocks missing here).")
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var sync: SyncOptions
    @Argument(help: "The remote (default: origin).") var remote = "origin"
    @Argument(help: "Branches to fetch (default: all).") var branches: [String] = []

    func run() async throws {
        let (endpoint, repository, line) = try sync.open(remote: remote, repo: repo, verb: "received")
        defer { line.finish() }
        let report = try await repository.fetch(from: endpoint, remote: remote, branches: branches.isEmpty ? nil : branches,
                                                progress: line.handler)
        sync.report(report.stats, report.updated)
    }
}

/// `engram pull [remote] [branch]`.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Fetch a branch and merge it into the current branch (fast-forward when possible).")
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var sync: SyncOptions
    @OptionGroup var commit: CommitOptions
    @Argument(help: "The remote (default: origin).") var remote = "origin"
    @Argument(help: "The branch (default: the current branch).") var branch: String?
    @Option(help: "Settle merge conflicts with our or their side (default: report them and change nothing).")
    var strategy: MergeCommand.Strategy?

    func run() async throws {
        let (endpoint, repository, line) = try sync.open(remote: remote, repo: repo, verb: "received")
        defer { line.finish() }
        let policy: MergePolicy = switch strategy { case .ours?: .ours; case .theirs?: .theirs; case nil: .fail }
        let report = try await repository.pull(from: endpoint, remote: remote, branch: branch, policy: policy,
                                               info: commit.info(defaultMessage: "merge \(remote)"), progress: line.handler)
        // As merge --json reports: the result's kind and, apart, the commit the branch is at.
        let (kind, head): (String, CID?) = switch report.merge {
        case .upToDate(let c)?: ("up-to-date", c)
        case .fastForward(let c)?: ("fast-forward", c)
        case .merged(let c, _)?: ("merged", c)
        case nil: ("no-branch", nil)
        }
        sync.report(report.fetch.stats, report.fetch.updated,
                    extra: [("result", .string(kind))] + (head.map { [("commit", .string($0.description))] } ?? []))
        if !sync.json { print(head.map { "\(kind) \($0)" } ?? "nothing to merge (the remote has no such branch)") }
    }
}

/// `engram push [remote] [branch...]`.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send branches to a remote (only the blocks it lacks); refused unless they fast-forward.")
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var sync: SyncOptions
    @Argument(help: "The remote (default: origin).") var remote = "origin"
    @Argument(help: "Branches to push (default: the current branch).") var branches: [String] = []
    @Flag(help: "Move the remote branch even when this does not descend from it (still refused if it moved since listed).")
    var force = false

    func run() async throws {
        let (endpoint, repository, line) = try sync.open(remote: remote, repo: repo, verb: "sent")
        defer { line.finish() }
        let report = try await repository.push(to: endpoint, remote: remote, branches: branches.isEmpty ? nil : branches,
                                               force: force, progress: line.handler)
        sync.report(report.stats, report.updated)
        if report.updated.isEmpty, !sync.json { print("everything up-to-date") }
    }
}

/// `engram clone <url> [dir]`.
struct CloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone", abstract: "Make a new repository holding a remote's branches, with the remote as 'origin'.")
    @OptionGroup var sync: SyncOptions
    @Argument(help: "A directory holding a repository, or http://host:port[/repo].") var url: String
    @Argument(help: "The new repository's directory (default: the URL's last component).") var directory: String?
    @Option(help: ArgumentHelp("When a commit is durable (as for every command).", valueName: "mode"))
    var durability: DurabilityArgument = DurabilityArgument(.strict)

    func run() async throws {
        let endpoint = try RemoteEndpoints.endpoint(for: url, token: try sync.token())
        let target = directory ?? String(url.split(separator: "/").last ?? "repository")
        var repo = RepositoryOptions()
        repo.path = target
        repo.durability = durability
        if mkdir(target, 0o755) != 0 && errno != EEXIST { throw CLIError("cannot create \(target): \(ErrnoText.describe(errno))") }
        var st = stat()
        if stat(repo.storeDirectory, &st) == 0 { throw CLIError("\(target) already holds a repository") }
        let store = try FileBlockStore.create(at: repo.storeDirectory, options: .init(durability: durability.mode))
        let repository = try Repository(store: store)
        let line = ProgressLine("received")
        let report = try await repository.cloneContents(from: endpoint, progress: line.handler)
        line.finish()
        var remotes = try Remotes(repository: repo)
        try remotes.add("origin", url: RemoteEndpoints.canonical(url))
        try store.close()
        sync.report(report.stats, report.updated)
        if !sync.json { print("Cloned \(url) into \(target)") }
    }
}

/// Token files: the first line, without surrounding white space.
enum TokenFile {
    static func read(_ path: String) throws -> String {
        guard let f = fopen(path, "r") else { throw CLIError("cannot read token file \(path): \(ErrnoText.describe(errno))") }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 4096)
        guard fgets(&buf, Int32(buf.count), f) != nil,
              let raw = String(validatingCString: buf) else {
            throw CLIError("token file \(path) has no token on its first line")
        }
        let line = String(raw.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        guard !line.isEmpty else {
            throw CLIError("token file \(path) has no token on its first line")
        }
        return line
    }
}
