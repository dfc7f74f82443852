import ArgumentParser
import EngramIPLD
import EngramProlly
import EngramStore

/// `engram tree`: inspect and build Prolly trees in the repository's block store.
struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Inspect and build Prolly trees.",
        subcommands: [Stats.self, List.self, Diff.self, Build.self]
    )

    static func parseRoot(_ text: String) throws -> CID {
        do { return try CID(string: text) } catch { throw ValidationError("\(text): \(error)") }
    }

    static func storage(_ repository: RepositoryOptions, readOnly: Bool) throws -> ProllyStorage {
        ProllyStorage(blocks: try repository.openStore(readOnly: readOnly))
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a tree's height, node count and node size distribution.")
        @OptionGroup var repository: RepositoryOptions
        @Argument(help: "The root CID.") var root: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let tree = ProllyTree(root: try TreeCommand.parseRoot(root), storage: try TreeCommand.storage(repository, readOnly: true))
            guard json else { return print(try TreeInspection.statsReport(tree)) }
            let stats = try tree.stats()
            let levels: [IPLD] = stats.levels.map { l in
                ["level": .int(l.level), "nodes": .int(l.nodes), "entries": .int(l.entries), "bytes": .int(l.bytes),
                 "min_bytes": .int(l.nodes == 0 ? 0 : l.minBytes), "max_bytes": .int(l.maxBytes)]
            }
            print(try DAGJSON.encodeString([
                "root": .string(tree.root.description), "height": .int(stats.height), "entries": .int(stats.entryCount),
                "nodes": .int(stats.nodeCount), "bytes": .int(stats.totalBytes), "levels": .list(levels),
                "size_histogram_kib": .list(stats.sizeHistogram.map { .int($0) }),
            ]))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a tree's entries in key order.")
        @OptionGroup var repository: RepositoryOptions
        @Argument(help: "The root CID.") var root: String
        @Option(help: "Only keys starting with these bytes (hex).") var prefix: String?
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            var prefixBytes: [UInt8] = []
            if let prefix {
                guard let bytes = Hex.decode(prefix) else { throw ValidationError("--prefix \(prefix) is not hex") }
                prefixBytes = bytes
            }
            let tree = ProllyTree(root: try TreeCommand.parseRoot(root), storage: try TreeCommand.storage(repository, readOnly: true))
            try TreeInspection.list(tree, prefix: prefixBytes, json: json) { print($0) }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the entries added, removed and changed from one root to another.")
        @OptionGroup var repository: RepositoryOptions
        @Argument(help: "The old root CID.") var rootA: String
        @Argument(help: "The new root CID.") var rootB: String
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            let storage = try TreeCommand.storage(repository, readOnly: true)
            let a = ProllyTree(root: try TreeCommand.parseRoot(rootA), storage: storage)
            let b = ProllyTree(root: try TreeCommand.parseRoot(rootB), storage: storage)
            try TreeInspection.diff(a, b, json: json) { print($0) }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a tree from JSON lines on standard input and print its root.",
            discussion: "Each line is {\"key\": \"<hex>\", \"value\": \"<hex>\"} (value may be null or {\"/\": \"<cid>\"}), in any order; the last value of a repeated key wins.")
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let entries = try TreeInspection.parseEntries(try StandardIO.readAll())
            let store = try repository.openStore(readOnly: false)
            let tree = try ProllyTree.build(unsorted: entries, in: ProllyStorage(blocks: store))
            try repository.persist(store)
            print(tree.root)
        }
    }
}
