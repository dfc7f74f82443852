import ArgumentParser
import EngramStore
#if canImport(Glibc)
import Glibc
#endif

/// Chooses the repository a command works on: `-C <path>`, else `$ENGRAM_REPO`, else the
/// current directory. A repository is a directory holding `.engram/`, the store directory.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path> (default: $ENGRAM_REPO, else the current directory).", valueName: "path"))
    var path: String?

    @Option(help: ArgumentHelp(
        "When a commit is durable: 'strict' (synced before the command reports it; the default), 'batched[:ms]' (synced within ms, default 1000: a machine crash may lose the last interval), or 'none' (never synced by the store: a machine crash may lose any commit).",
        valueName: "mode"))
    var durability: DurabilityArgument = DurabilityArgument(.strict)

    @Option(help: ArgumentHelp(
        "How long a writing command waits for another process's writer lock before it fails with exit status 5 (default: 0, fail at once; `engram mcp`: 10).",
        valueName: "seconds"))
    var wait: Double?

    /// The store directory inside a repository.
    static let storeDirectoryName = ".engram"

    /// The repository root directory.
    var root: String {
        if let path { return path }
        if let env = getenv("ENGRAM_REPO"), let value = String(validatingCString: env), !value.isEmpty { return value }
        return "."
    }

    /// `.engram/` in the root; the root itself when it is a store directory (a repository made
    /// by an earlier `Repository.create(at:)`, which put the store files there).
    var storeDirectory: String {
        let nested = root + "/" + Self.storeDirectoryName
        return !FileBlockStore.exists(at: nested) && FileBlockStore.exists(at: root) ? root : nested
    }

    /// Opens the repository's store (read-only when the command only reads). Strict durability:
    /// every commit a command makes is durable when the commit call returns.
    func openStore(readOnly: Bool = false) throws -> FileBlockStore {
        do {
            return try FileBlockStore.open(at: storeDirectory, options: try storeOptions(readOnly: readOnly))
        } catch StoreError.notAStore {
            throw CLIError.notFound("not an Engram repository: \(root) (no \(Self.storeDirectoryName); run `engram init`)")
        }
    }

    /// How the store is opened: the durability and the writer-lock wait chosen.
    func storeOptions(readOnly: Bool = false) throws -> FileBlockStore.Options {
        var options = FileBlockStore.Options(durability: durability.mode, readOnly: readOnly)
        options.lockWaitMilliseconds = try lockWaitMilliseconds(default: 0)
        return options
    }

    /// `--wait` in milliseconds, or `seconds` when it is not given (0 is given: no waiting).
    func lockWaitMilliseconds(default seconds: Double) throws -> Int {
        let wait = wait ?? seconds
        guard wait.isFinite, wait >= 0, wait <= 3600 else { throw ValidationError("--wait must be 0 to 3600 seconds") }
        return Int(wait * 1000)
    }

    /// Makes every block written through `store` durable before the command reports success.
    func persist(_ store: FileBlockStore) throws {
        try store.flush()
    }
}

/// `--durability strict|batched[:ms]|none`.
struct DurabilityArgument: ExpressibleByArgument, Sendable {
    let mode: FileBlockStore.Options.Durability

    init(_ mode: FileBlockStore.Options.Durability) { self.mode = mode }

    init?(argument: String) {
        switch argument {
        case "strict": mode = .strict
        case "none": mode = .none
        case "batched": mode = .batched(milliseconds: 1000)
        default:
            guard argument.hasPrefix("batched:"), let ms = Int(argument.dropFirst("batched:".count)), ms > 0, ms <= 3_600_000 else {
                return nil
            }
            mode = .batched(milliseconds: ms)
        }
    }

    var defaultValueDescription: String { "strict" }
    static var allValueStrings: [String] { ["strict", "batched", "batched:<ms>", "none"] }
}
