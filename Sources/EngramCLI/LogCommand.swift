import ArgumentParser
import Engram
import EngramIPLD

/// `engram log`: history from a revision, as git shows it: full entries, `--oneline`,
/// `--graph`, or the commit DAG as Graphviz DOT (`--dot`).
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the commits reachable from a revision, newest first.",
        discussion: "Dates are ISO 8601 in local time and CIDs are cut to a unique prefix (at least 12 characters); --json keeps full CIDs and microseconds.")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "Where to start (default: HEAD).") var revision: String = "HEAD"
    @Flag(name: .customLong("first-parent"), help: "Follow first parents only.") var firstParent = false
    @Option(name: .shortAndLong, help: "Show at most this many commits.") var number: Int = .max
    @Flag(help: "One line per commit: short CID and the message's first line.") var oneline = false
    @Flag(help: "Draw the history as an ASCII graph beside the commits.") var graph = false
    @Flag(help: "Print the commit DAG as Graphviz DOT (render with `dot -Tsvg`).") var dot = false
    @Flag(name: .customLong("no-abbrev"), help: "Print full CIDs.") var noAbbrev = false
    @Flag(help: "Print one JSON object per commit.") var json = false

    func run() throws {
        guard number >= 0 else { throw ValidationError("-n must not be negative") }
        guard [json, dot, graph || oneline].filter({ $0 }).count <= 1 else {
            throw ValidationError("--json, --dot and --oneline/--graph do not combine")
        }
        let repository = try repo.openGraph(readOnly: true)
        let start = try repository.resolve(revision)
        let short = try ShortCIDs(full: noAbbrev || json, repository)
        var drawing = LogGraph()
        var first = true
        if dot { print("digraph commits {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];") }
        // Printed as the walk goes: a commit that cannot be read ends the output with its error,
        // after every commit before it.
        try repository.log(from: start, firstParent: firstParent, limit: number) { entry throws(GraphError) in
            let commit = entry.commit
            if json { return GraphArgs.printJSON(GraphJSON.value(commit, cid: entry.cid)) }
            if dot { return Self.printDOT(entry, short: short, firstParent: firstParent) }
            var lines = oneline ? [onelineText(entry, short)] : fullText(entry, short, separated: !first && !graph)
            defer { first = false }
            guard graph else { return lines.forEach { print($0) } }
            if !first && !oneline { print(drawing.spacer) }
            let parents = firstParent ? Array(commit.parents.prefix(1)) : commit.parents
            let rows = drawing.next(entry.cid, parents: parents)
            print(rows.commit + " " + lines.removeFirst())
            for l in lines { print(l.isEmpty || rows.body.isEmpty ? rows.body + l : rows.body + " " + l) }
            for r in rows.after { print(r) }
        }
        if dot { print("}") }
    }

    private func onelineText(_ entry: LogEntry, _ short: ShortCIDs) -> String {
        let merge = entry.commit.parents.count > 1 ? " (merge)" : ""
        return HumanFormat.paint(short(entry.cid), .yellow) + merge + " " + HumanFormat.messageLines(entry.commit.message)[0]
    }

    /// git's medium format: header lines, a blank line, the message indented by four spaces.
    private func fullText(_ entry: LogEntry, _ short: ShortCIDs, separated: Bool) -> [String] {
        let c = entry.commit
        var lines = separated ? [""] : []
        lines.append(HumanFormat.paint("commit " + short(entry.cid), .yellow))
        if c.parents.count > 1 { lines.append("Merge:  " + c.parents.map { short($0) }.joined(separator: " ")) }
        lines.append("Author: " + HumanFormat.visible(c.author))
        if let agent = c.agent { lines.append("Agent:  " + HumanFormat.visible(agent)) }
        lines.append("Date:   " + HumanFormat.date(microseconds: c.time))
        lines.append("")
        lines += HumanFormat.messageLines(c.message).map { $0.isEmpty ? "" : "    " + $0 }
        return lines
    }

    /// One DOT node per commit (short CID and first message line) and an edge to each parent.
    private static func printDOT(_ entry: LogEntry, short: ShortCIDs, firstParent: Bool) {
        let c = entry.commit
        let label = short(entry.cid) + "\n" + DOT.cut(HumanFormat.messageLines(c.message)[0])
        print("  \(DOT.quoted(entry.cid.description)) [label=\(DOT.quoted(label))];")
        let parents = firstParent ? Array(c.parents.prefix(1)) : c.parents
        for p in parents { print("  \(DOT.quoted(entry.cid.description)) -> \(DOT.quoted(p.description));") }
    }
}
