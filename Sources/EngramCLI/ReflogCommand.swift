import ArgumentParser
import Engram
import EngramIPLD
import EngramStore

/// `engram reflog`: how refs moved, newest first, so commits a deleted or moved branch held can
/// be found again (until `engram gc` drops what the retained entries no longer reach).
struct ReflogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reflog",
        abstract: "Show how refs moved, newest first (commits, checkouts, merges, fetches, pushes, repairs).")
    @OptionGroup var repo: RepositoryOptions
    @Argument(help: "A branch name or full ref name (default: every ref).") var ref: String?
    @Option(name: .shortAndLong, help: "Show at most this many entries.") var number: Int = .max
    @Flag(help: "Print one JSON object per entry (full CIDs, raw microseconds).") var json = false
    @Flag(name: .customLong("no-abbrev"), help: "Print full CIDs.") var noAbbrev = false

    func run() throws {
        guard number >= 0 else { throw ValidationError("-n must not be negative") }
        let repository = try repo.openGraph(readOnly: true)
        let name: String? = ref.map { $0 == "HEAD" || $0.hasPrefix("refs/") ? $0 : Repository.branchRef($0) }
        if let name, ref != nil { try RefName.validate(name) }
        let entries = try repository.refs.reflog(name).reversed().prefix(number)
        if let name, entries.isEmpty, try repository.refs.get(name) == nil {
            throw GraphError.branchNotFound(ref ?? name)
        }
        let short = try ShortCIDs(full: noAbbrev || json, repository)
        for e in entries {
            if json {
                GraphArgs.printJSON(.map(["ref": .string(e.name), "old": Self.ipld(e.old), "new": Self.ipld(e.new),
                                          "time": .int(e.time), "message": .string(e.message)]))
            } else {
                print("\(HumanFormat.date(microseconds: e.time)) \(e.name) \(Self.text(e.old, short)) -> \(Self.text(e.new, short)) "
                      + HumanFormat.visible(e.message))
            }
        }
    }

    static func text(_ v: RefValue?, _ short: ShortCIDs) -> String {
        switch v {
        case nil: "(none)"
        case .cid(let c)?: short(c)
        case .symbolic(let n)?: "ref:" + n
        }
    }

    static func ipld(_ v: RefValue?) -> IPLD {
        switch v {
        case nil: .null
        case .cid(let c)?: .string(c.description)
        case .symbolic(let n)?: .map(["symbolic": .string(n)])
        }
    }
}
