import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `engram` command: Engram's store, trees and codecs from the shell.
@main
struct EngramCommand: AsyncParsableCommand {
    /// Accepts git's global form `engram -C <path> <command> ...` as well as `-C` after the
    /// command: a leading `-C <path>` chooses the repository exactly as `ENGRAM_REPO` does.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        while arguments.first == "-C" {
            guard arguments.count >= 2 else { break }  // let the parser report the missing value
            setenv("ENGRAM_REPO", arguments[1], 1)
            arguments.removeFirst(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard let status = ExitStatus.code(for: error) else { exit(withError: error) }
            let message = Array((fullMessage(for: error) + "\n").utf8)
            _ = message.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            Glibc.exit(status)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "engram",
        abstract: "A content-addressed, versioned memory store for agents.",
        subcommands: [
            CodecCommand.self,
            CIDCommand.self,
            InitCommand.self,
            BlockCommand.self,
            FsckCommand.self,
            GCCommand.self,
            StatsCommand.self,
            TreeCommand.self,
            NodeCommand.self,
            EdgeCommand.self,
            StatusCommand.self,
            CommitCommand.self,
            ApplyCommand.self,
            LogCommand.self,
            ShowCommand.self,
            DiffCommand.self,
            BranchCommand.self,
            CheckoutCommand.self,
            MergeCommand.self,
            QueryCommand.self,
            NeighborsCommand.self,
            RemoteCommand.self,
            CloneCommand.self,
            FetchCommand.self,
            PullCommand.self,
            PushCommand.self,
            CARCommand.self,
            ReflogCommand.self,
            ServeCommand.self,
            MCPCommand.self,
        ]
    )
}
