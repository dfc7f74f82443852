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
        // With --json anywhere before `--`, errors are JSON too (README "Errors").
        let json = arguments.prefix(while: { $0 != "--" }).contains("--json")
        if let message = CommandSuggestion.check(arguments, root: Self.self, extraNames: ["help"]) {
            ErrorReport.emit(message: "engram: " + message, status: ExitStatus.usage, error: nil, json: json)
            Glibc.exit(ExitStatus.usage)
        }
        do {
            try ArgumentEncoding.check()
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let status = ExitStatus.code(for: error) {
                ErrorReport.emit(message: fullMessage(for: error), status: status, error: error, json: json)
                Glibc.exit(status)
            }
            let code = exitCode(for: error)
            // --help and --version end here, printed by the parser.
            guard code != .success else { exit(withError: error) }
            // A usage error exits 2, as git's and most tools' do (the parser's own is 64).
            let status = code == .validationFailure ? ExitStatus.usage : code.rawValue
            ErrorReport.emit(message: fullMessage(for: error), status: status, error: nil, json: json)
            Glibc.exit(status)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "engram",
        abstract: "A content-addressed, versioned memory store for agents.",
        version: EngramVersion.current,
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
            RecallCommand.self,
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
            RestoreCommand.self,
            ResetCommand.self,
            QueryCommand.self,
            NeighborsCommand.self,
            RemoteCommand.self,
            CloneCommand.self,
            FetchCommand.self,
            PullCommand.self,
            PushCommand.self,
            CARCommand.self,
            ReflogCommand.self,
            ExportDotCommand.self,
            ServeCommand.self,
            MCPCommand.self,
        ]
    )
}
