import EngramIPLD

/// The ASCII history graph of `engram log --graph`, drawn as git draws it: one column per line
/// of descent, `*` for the commit, `|` for lines passing by, and `/` and `\` rows where lines
/// fork (a merge's parents) or join (a parent another column already waits for).
///
/// Commits must come children first (the order of `Repository.log`).
struct LogGraph {
    /// The commit each column waits for, left to right (never twice).
    private var columns: [CID] = []

    /// The rows for one commit: `rows.commit` is the prefix of its own line, `rows.body` the
    /// prefix of any further lines of its entry, `rows.after` the connector rows to print after
    /// the entry (empty when every line goes straight down).
    mutating func next(_ cid: CID, parents: [CID]) -> (commit: String, body: String, after: [String]) {
        let col: Int
        if let i = columns.firstIndex(of: cid) { col = i } else {
            columns.append(cid)
            col = columns.count - 1
        }
        let commitRow = Self.row(columns.count) { $0 == col ? "*" : "|" }
        let bodyRow = Self.row(columns.count) { $0 == col && parents.isEmpty ? " " : "|" }

        // The next columns: the commit's first parent takes its place (unless another column
        // already waits for it), further parents open columns right of it.
        var next = columns
        next.remove(at: col)
        var insertAt = col
        for p in parents where !next.contains(p) {
            next.insert(p, at: insertAt)
            insertAt += 1
        }
        // Where each line goes: old column -> new column.
        var moves: [(from: Int, to: Int)] = []
        for (i, c) in columns.enumerated() where i != col {
            if let j = next.firstIndex(of: c) { moves.append((i, j)) }
        }
        for p in parents { if let j = next.firstIndex(of: p) { moves.append((col, j)) } }
        columns = next
        return (Self.trim(commitRow), Self.trim(bodyRow), Self.connectors(moves))
    }

    /// Rows moving every line at most one column a row until each is where it goes; none when
    /// all go straight down.
    private static func connectors(_ moves: [(from: Int, to: Int)]) -> [String] {
        var at = moves.map(\.from)
        var rows: [String] = []
        while zip(at, moves).contains(where: { $0 != $1.to }) {
            let width = (max(at.max() ?? 0, moves.map(\.to).max() ?? 0) + 1) * 2
            var chars = [Character](repeating: " ", count: width)
            for (k, m) in moves.enumerated() {
                let a = at[k]
                if a == m.to {
                    chars[2 * a] = "|"
                } else if m.to > a {
                    chars[2 * a + 1] = "\\"
                    at[k] = a + 1
                } else {
                    chars[2 * a - 1] = "/"
                    at[k] = a - 1
                }
            }
            rows.append(trim(String(chars)))
        }
        return rows
    }

    /// A row of the lines passing by, between two entries.
    var spacer: String { Self.trim(Self.row(columns.count) { _ in "|" }) }

    private static func row(_ count: Int, _ mark: (Int) -> Character) -> String {
        String((0..<count).flatMap { [mark($0), " "] })
    }

    private static func trim(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
