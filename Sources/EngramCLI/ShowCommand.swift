import ArgumentParser
import Engram
import EngramIPLD

/// `engram show`: one commit and what it changed against its first parent (the first commit:
/// against the empty graph).
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a commit, the size of its graph and its diff against its first parent.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "The revision (default: HEAD).") var revision: String = "HEAD"
    @Flag(name: .customLong("no-abbrev"), help: "Print full CIDs.") var noAbbrev = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let cid = try repository.resolve(revision)
        let snapshot = try repository.snapshot(cid)
        guard let commit = snapshot.commit else { throw CLIError("\(cid) is not a commit") }
        let diff = try commit.parents.first.map { p throws(GraphError) in try repository.snapshot(p).diff(to: snapshot) }
            ?? snapshot.diffFromEmpty()
        if json {
            var value = GraphJSON.value(commit, cid: cid).mapValue ?? IPLDMap()
            value["node_count"] = .int(try snapshot.nodeCount())
            value["edge_count"] = .int(try snapshot.edgeCount())
            value["diff"] = GraphJSON.value(diff)
            GraphArgs.printJSON(.map(value))
            return
        }
        let short = try ShortCIDs(full: noAbbrev, repository)
        print(HumanFormat.paint("commit \(cid)", .yellow))
        if !commit.parents.isEmpty { print((commit.parents.count > 1 ? "Merge:  " : "Parent: ") + commit.parents.map { short($0) }.joined(separator: " ")) }
        print("Author: " + HumanFormat.visible(commit.author))
        if let agent = commit.agent { print("Agent:  " + HumanFormat.visible(agent)) }
        print("Date:   " + HumanFormat.date(microseconds: commit.time))
        print("Graph:  \(try snapshot.nodeCount()) nodes, \(try snapshot.edgeCount()) edges")
        print("")
        for line in HumanFormat.messageLines(commit.message) { print(line.isEmpty ? "" : "    " + line) }
        if !diff.isEmpty { print("") }
        DiffText.print(diff)
    }
}
