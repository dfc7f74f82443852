import EngramIPLD

/// The named refs of a ``FileBlockStore``: `HEAD` (usually symbolic) and `refs/heads/<name>`.
///
/// Every change is a compare-and-swap written as a commit record, so it is atomic with the
/// blocks of the same ``FileBlockStore/commit(blocks:refUpdates:message:)`` and logged in the reflog.
public struct RefStore: Sendable {
    let store: FileBlockStore

    /// The value of `name` as committed, without following symbolic refs.
    public func get(_ name: String) throws -> RefValue? {
        try RefName.validate(name)
        return store.state.withLock { $0.refs.refs[name] }
    }

    /// The CID `name` leads to, following symbolic refs (nil when unset).
    public func resolve(_ name: String) throws -> CID? {
        try RefName.validate(name)
        return store.state.withLock { $0.refs.resolve(name) }
    }

    /// Sets `name` to `value` if it currently is `expected` (nil: must not exist), durably.
    public func set(_ name: String, to value: RefValue?, expected: RefUpdate.Expectation, message: String = "") throws {
        try store.commit(blocks: [], refUpdates: [RefUpdate(name: name, expected: expected, new: value)], message: message)
    }

    /// Every ref whose name starts with `prefix`, sorted by name.
    public func list(prefix: String = "") -> [(name: String, value: RefValue)] {
        store.state.withLock { s in
            s.refs.refs.filter { $0.key.hasPrefix(prefix) }.map { ($0.key, $0.value) }
        }.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// The logged changes of `name` (every ref when nil), oldest first.
    public func reflog(_ name: String? = nil) -> [ReflogEntry] {
        store.state.withLock { s in s.refs.reflog.filter { name == nil || $0.name == name } }
    }
}
