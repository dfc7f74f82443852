import ArgumentParser

/// The `engram` command: Engram's store, trees and codecs from the shell.
@main
struct EngramCommand: AsyncParsableCommand {
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
        ]
    )
}
