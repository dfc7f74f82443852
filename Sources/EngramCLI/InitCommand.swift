import ArgumentParser
import EngramIPLD
import EngramStore
#if canImport(Glibc)
import Glibc
#endif

/// `engram init`: create a repository.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty Engram repository (a .engram directory) in a directory.")

    @Argument(help: "The directory (created if missing; default: -C, $ENGRAM_REPO or the current directory).")
    var directory: String?

    @Option(help: "The hash function of the repository's new blocks: sha2-256 or blake2b-256.")
    var hash: HashName = .sha2_256

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let root = directory ?? repository.root
        var dir = RepositoryOptions()
        dir.path = root
        if mkdir(root, 0o755) != 0 && errno != EEXIST { throw CLIError("cannot create \(root): \(ErrnoText.describe(errno))") }
        let store = try FileBlockStore.create(at: dir.storeDirectory, hash: hash.function)
        try store.close()
        print("Initialized empty Engram repository in \(dir.storeDirectory) (\(hash.rawValue))")
    }
}
