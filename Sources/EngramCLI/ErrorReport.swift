import ArgumentParser
import Engram
import EngramIPLD
import EngramStore
import EngramSync
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a failed command reports: one line on standard error, or with `--json` one JSON object
/// `{"error": {"kind", "message", "exit_status", ...}}` on standard error (README "Errors").
enum ErrorReport {
    /// The `kind` of an exit status: what a script branches on.
    static func kind(_ status: Int32) -> String {
        switch status {
        case ExitStatus.conflict: "conflict"
        case ExitStatus.notFound: "not_found"
        case ExitStatus.locked: "locked"
        case ExitStatus.damaged: "damaged"
        case ExitStatus.refused: "refused"
        case ExitStatus.unauthorized: "unauthorized"
        case ExitStatus.outcomeUnknown: "outcome_unknown"
        case ExitStatus.usage: "usage"
        default: "failure"
        }
    }

    /// Writes `message` (and with `json`, the details of `error`) to standard error.
    static func emit(message: String, status: Int32, error: (any Error)?, json: Bool) {
        guard json else { return StandardIO.note(message) }
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        var body: IPLDMap = ["kind": .string(kind(status)), "message": .string(text), "exit_status": .int(status)]
        if let error {
            for (k, v) in details(error) { body[k] = v }
        }
        StandardIO.note(GraphJSON.text(.map(["error": .map(body)])))
    }

    /// Structured fields of the errors a program may act on: the case (`GraphError.unknownRevision`),
    /// the case of the error behind its reason (`cause`), the conflicts, the candidates of an
    /// ambiguous revision, the errno.
    static func details(_ error: any Error) -> [(String, IPLD)] {
        var out: [(String, IPLD)] = []
        if let name = caseName(error) { out.append(("case", .string(name))) }
        if let cause = cause(in: error), let name = caseName(cause) { out.append(("cause", .string(name))) }
        switch error {
        case let e as GraphError: out += graph(e)
        case let e as SyncError:
            if case .repository(let g) = e { out += graph(g) }
        case let e as StoreError: out += store(e)
        default: break
        }
        return out
    }

    /// `Type.case` of an error that is an enum case with values, the type's name for a struct.
    static func caseName(_ error: any Error) -> String? {
        let mirror = Mirror(reflecting: error)
        switch mirror.displayStyle {
        case .enum: return mirror.children.first?.label.map { "\(type(of: error)).\($0)" }
        case .struct, .class: return "\(type(of: error))"
        default: return nil
        }
    }

    /// The error an ``ErrorReason`` in `value`'s associated values keeps as its cause (looked
    /// for a few cases deep: a store error inside a graph error).
    static func cause(in value: Any, depth: Int = 0) -> (any Error)? {
        for child in Mirror(reflecting: value).children {
            if let reason = child.value as? ErrorReason, let cause = reason.cause { return cause }
            if depth < 4, let cause = cause(in: child.value, depth: depth + 1) { return cause }
        }
        return nil
    }

    private static func graph(_ e: GraphError) -> [(String, IPLD)] {
        switch e {
        case .mergeConflict(let c), .commitConflict(let c): [("conflicts", .list(c.map { .string($0.description) }))]
        case .ambiguousRevision(let r, let c): [("revision", .string(r)), ("candidates", .list(c.map { .string($0.description) }))]
        case .unknownRevision(let r): [("revision", .string(r))]
        case .store(let s): store(s)
        default: []
        }
    }

    private static func store(_ e: StoreError) -> [(String, IPLD)] {
        switch e {
        case .io(_, let path, let code), .commitOutcomeUnknown(let path, let code):
            [("path", .string(path)), ("errno", .string(ErrnoText.name(code) ?? "\(code)"))]
        default: []
        }
    }
}

/// "Did you mean": a word that is not a subcommand, when one is a few edits away.
enum CommandSuggestion {
    /// A message for the first argument that should name a subcommand of `root` and names
    /// none, or nil when the arguments are fine (or far from any command).
    static func check(_ arguments: [String], root: any ParsableCommand.Type, extraNames: [String] = []) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "engram"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return nil }
            if ObjectIdentifier(command) == ObjectIdentifier(root), extraNames.contains(word) { return nil }
            if let match = subcommands.first(where: { names($0).contains(word) }) {
                command = match
                path.append(word)
                continue
            }
            if command.configuration.defaultSubcommand != nil { return nil }
            let candidates = subcommands.flatMap(names)
            let best = candidates.map { ($0, distance($0, word)) }.min { $0.1 < $1.1 }
            guard let best, best.1 <= max(1, word.count / 3) || best.0.hasPrefix(word) && word.count >= 2 else {
                return "'\(word)' is not a \(path.joined(separator: " ")) command. See '\(path.joined(separator: " ")) --help'."
            }
            return "'\(word)' is not a \(path.joined(separator: " ")) command. Did you mean '\(best.0)'?"
        }
        return nil
    }

    private static func names(_ c: any ParsableCommand.Type) -> [String] {
        [c.configuration.commandName ?? c._commandName] + c.configuration.aliases
    }

    /// The Damerau (optimal string alignment) edit distance: a swap of two letters is one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
