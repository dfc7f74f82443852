#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Engram
import EngramIPLD

/// `.engram/MERGE_CONFLICTS`: the conflicts of the last failed merge, JSON lines to edit and
/// settle with `engram merge --continue`. The first line is
/// `{"head": CID, "merge": CID, "revision": TEXT, "resolve": [TEXT...]}` (the branch head, the
/// commit being merged and the settlements that merge was given); each further line one conflict
/// as `merge --json` prints it, with `"take": null`, to be set to `"ours"`, `"theirs"` or (a field
/// conflict only) `{"value": <JSON value>}`.
struct MergeConflictFile {
    let path: String

    struct Pending {
        var head: CID?
        var merge: CID
        var revision: String
        /// `--resolve` arguments from the lines whose `take` is set.
        var settlements: [String]
        /// Those lines, kept when the file is written again.
        var settledLines: [IPLD] = []
    }

    /// Writes the file: `kept` lines (settled in an earlier file) first, then each conflict.
    func save(head: CID?, merge: CID, revision: String, settlements: [String], conflicts: [MergeConflict], kept: [IPLD] = []) throws {
        var header = IPLDMap()
        header["resolve"] = .list(settlements.map { .string($0) })
        header["head"] = head.map { .string($0.description) } ?? .null
        header["merge"] = .string(merge.description)
        header["revision"] = .string(revision)
        var text = GraphJSON.text(.map(header)) + "\n"
        for line in kept { text += GraphJSON.text(line) + "\n" }
        for conflict in conflicts {
            var line = MergeResolveArguments.json(conflict).mapValue ?? IPLDMap()
            if line["resolve"] != nil { line["take"] = .null }
            text += GraphJSON.text(.map(line)) + "\n"
        }
        try writeFile(path, Array(text.utf8))
    }

    func load() throws -> Pending {
        guard let bytes = try? readFile(path) else { throw CLIError("no merge to continue (no \(path))") }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard !lines.isEmpty else { throw CLIError("\(path) is empty") }
        func fail(_ line: Int, _ reason: String) -> CLIError { CLIError("\(path) line \(line): \(reason)") }
        let header: IPLD
        do { header = try DAGJSON.decode(Array(lines.removeFirst())) } catch { throw fail(1, "\(error)") }
        guard let merge = header["merge"]?.stringValue.flatMap(CID.init), let revision = header["revision"]?.stringValue else {
            throw fail(1, "not a merge header")
        }
        // The settlements the failed merge was given come first: an edited line wins over them.
        let given = header["resolve"]?.listValue?.compactMap(\.stringValue) ?? []
        var pending = Pending(head: header["head"]?.stringValue.flatMap(CID.init), merge: merge, revision: revision, settlements: given)
        for (i, raw) in lines.enumerated() {
            let line: IPLD
            do { line = try DAGJSON.decode(Array(raw)) } catch { throw fail(i + 2, "\(error)") }
            guard let take = line["take"], take != .null else { continue }
            guard let key = line["resolve"]?.stringValue else { throw fail(i + 2, "a line without \"resolve\" takes no \"take\"") }
            switch take {
            case "ours", "theirs": pending.settlements.append(key + "=" + (take.stringValue ?? ""))
            case .map(let m) where m.count == 1 && m["value"] != nil && key.contains("."):
                pending.settlements.append(key + "=" + GraphJSON.text(m["value"] ?? .null))
            default: throw fail(i + 2, key.contains(".") ? "\"take\" is \"ours\", \"theirs\" or {\"value\": <JSON value>}"
                                                       : "\"take\" of a node or edge conflict is \"ours\" or \"theirs\"")
            }
            pending.settledLines.append(line)
        }
        return pending
    }

    func remove() { unlink(path) }
}
