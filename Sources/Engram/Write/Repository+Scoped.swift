import EngramIPLD

extension Repository {
    /// The author recorded by ``write(on:message:_:)``, which takes no ``CommitInfo``.
    public static let defaultAuthor = "engram"

    /// Runs `body` on a transaction over the head of `branch` (nil: what `HEAD` names) and
    /// commits what it staged as one commit, returning the new commit's CID.
    ///
    /// When `body` throws, nothing is committed and its error is rethrown as it is; a failed
    /// commit throws a ``GraphError`` (see ``commit(_:_:maxAttempts:)``, whose rebase onto a
    /// concurrent commit applies here too).
    ///
    /// ```swift
    /// let commit = try repo.write(message: "first session") { tx in
    ///     tx.addNode(label: "Observation", props: ["text": "prefers dark mode"])
    /// }
    /// ```
    @discardableResult
    public func write(on branch: String? = nil, message: String = "",
                      _ body: (inout Transaction) throws -> Void) throws -> CID {
        try write(on: branch, CommitInfo(author: Self.defaultAuthor, message: message), body)
    }

    /// Runs `body` on a transaction over the head of `branch` (nil: what `HEAD` names) and
    /// commits what it staged with `info`, returning the new commit's CID. When `body` throws,
    /// nothing is committed and its error is rethrown as it is.
    @discardableResult
    public func write(on branch: String? = nil, _ info: CommitInfo,
                      _ body: (inout Transaction) throws -> Void) throws -> CID {
        var tx = try transaction(on: branch)
        try body(&tx)
        return try commit(tx, info)
    }

    /// Like ``write(on:_:_:)``, for a `body` that also returns something (the ids it added,
    /// say): returns the new commit's CID and that value. (A name of its own, so that a
    /// `body` whose last call returns a value still picks ``write(on:_:_:)``.)
    public func writeReturning<Value>(on branch: String? = nil, _ info: CommitInfo,
                             _ body: (inout Transaction) throws -> Value) throws -> (commit: CID, value: Value) {
        var tx = try transaction(on: branch)
        let value = try body(&tx)
        return (try commit(tx, info), value)
    }

    /// Runs `body` on the graph at `revision` (a branch, `HEAD`, a CID, each optionally with
    /// `~N`; see ``resolve(_:)``), or at `HEAD` when nil (the empty graph on an unborn branch),
    /// and returns what it returns. The snapshot is immutable: later commits do not change
    /// what `body` reads.
    public func read<Value>(_ revision: String? = nil, _ body: (GraphSnapshot) throws -> Value) throws -> Value {
        let snapshot = if let revision { try snapshot(try resolve(revision)) } else { try snapshot(try head()) }
        return try body(snapshot)
    }

    /// Runs `body` on the graph at commit `commit` and returns what it returns.
    public func read<Value>(at commit: CID, _ body: (GraphSnapshot) throws -> Value) throws -> Value {
        try body(try snapshot(commit))
    }
}
