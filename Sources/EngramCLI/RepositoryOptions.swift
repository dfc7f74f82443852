import ArgumentParser
import EngramStore

// Placeholder for the prolly branch only: the store branch provides the real RepositoryOptions
// (opening the repository's durable FileBlockStore); this file is dropped when they merge.

/// Which repository a command works on: `-C <path>`, else `$ENGRAM_REPO`, else the current directory.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: "The repository directory (default: $ENGRAM_REPO or the current directory).")
    var path: String?

    /// The repository's block store.
    func openStore(readOnly: Bool) throws -> any BlockStore {
        throw CLIError("this build has no durable block store yet (it comes with the store module)")
    }

    /// Makes the blocks written to `store` durable.
    func persist(_ store: any BlockStore) throws {}
}
