import CSQLite

/// SQLite FTS5 over the same records, queried with its `bm25()` ranking: the side-by-side peer
/// of Engram's text recall.
final class SQLiteFTS: @unchecked Sendable {
    private var db: OpaquePointer?
    private var query: OpaquePointer?

    /// A database at `path` (":memory:" for none) holding `records` in an FTS5 table.
    init(path: String, records: [String]) {
        precondition(sqlite3_open(path, &db) == SQLITE_OK, "cannot open \(path)")
        exec("PRAGMA journal_mode=WAL")
        exec("PRAGMA synchronous=FULL")
        exec("CREATE VIRTUAL TABLE IF NOT EXISTS notes USING fts5(text, tokenize='unicode61 remove_diacritics 0')")
        exec("BEGIN")
        var insert: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT INTO notes(rowid, text) VALUES (?, ?)", -1, &insert, nil)
        for (i, r) in records.enumerated() {
            sqlite3_bind_int64(insert, 1, Int64(i))
            sqlite3_bind_text(insert, 2, r, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            precondition(sqlite3_step(insert) == SQLITE_DONE)
            sqlite3_reset(insert)
        }
        sqlite3_finalize(insert)
        exec("COMMIT")
        sqlite3_prepare_v2(db, "SELECT rowid, bm25(notes) FROM notes WHERE notes MATCH ? ORDER BY bm25(notes) LIMIT ?", -1, &query, nil)
    }

    deinit {
        sqlite3_finalize(query)
        sqlite3_close(db)
    }

    func exec(_ sql: String) {
        precondition(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK, "\(sql): \(String(cString: sqlite3_errmsg(db)))")
    }

    /// The top `limit` rowids for the words of `text` (any of them, as Engram's bare words are).
    func search(_ text: String, limit: Int) -> [Int64] {
        let match = text.split(separator: " ").map { "\"\($0)\"" }.joined(separator: " OR ")
        sqlite3_bind_text(query, 1, match, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        sqlite3_bind_int64(query, 2, Int64(limit))
        var out: [Int64] = []
        while sqlite3_step(query) == SQLITE_ROW { out.append(sqlite3_column_int64(query, 0)) }
        sqlite3_reset(query)
        return out
    }
}
