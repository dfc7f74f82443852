import ArgumentParser
import EngramMCP
import Logging
import MCP

/// `engram mcp`: the repository as an MCP server over stdin and stdout, for agents.
///
/// Several `engram mcp` processes (and CLI writers) may share one repository: each writing tool
/// call takes the store's writer lock for its one commit, waiting up to `--wait` seconds for it
/// (10 unless given; `--wait 0` fails at once when another process holds the lock).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the repository to an agent over the Model Context Protocol (JSON-RPC on stdin/stdout; logs on stderr).",
        discussion: """
            A writing tool call waits up to --wait seconds (default here: 10) for another process's writer lock, \
            then fails with an error result naming the holder; --wait 0 does not wait. `engram serve` serves the \
            same tools over HTTP at /mcp.
            """)

    @Option(help: ArgumentHelp("The repository (same as -C).", valueName: "path"))
    var repo: String?

    @Option(help: ArgumentHelp("The author of commits whose tool call names none.", valueName: "name"))
    var author: String = "engram-mcp"

    @Option(help: ArgumentHelp("How often to look for commits by other processes (resource notifications).", valueName: "ms"))
    var pollInterval: Int = 250

    @Option(help: .hidden) var transport: String = "line"

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        // A tool call waits 10 s for another writer's lock unless --wait says otherwise (0: not at all).
        let waitMilliseconds = try repository.lockWaitMilliseconds(default: 10)
        guard (10...60_000).contains(pollInterval) else { throw ValidationError("--poll-interval must be 10 to 60000 ms") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let root = repo ?? repository.root
        let options = MCPServerOptions(storeDirectory: root + "/" + RepositoryOptions.storeDirectoryName,
                                       lockWaitMilliseconds: waitMilliseconds, durability: repository.durability.mode,
                                       author: author, pollMilliseconds: pollInterval)
        let logger = Logger(label: "engram.mcp")
        let server = try EngramMCPServer(options: options, logger: logger)
        // `--transport sdk` runs the SDK's StdioTransport instead, to measure it (Benchmarks/README.md).
        let chosen: any Transport = transport == "sdk" ? StdioTransport(logger: logger) : LineTransport(logger: logger)
        try await server.run(transport: chosen)
    }
}
