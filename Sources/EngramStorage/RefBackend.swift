import EngramIPLD
import Synchronization

/// Where a repository keeps its refs (`HEAD`, `refs/heads/<name>`, `refs/remotes/...`): every
/// change is a compare-and-swap, made atomically with the blocks it publishes, and logged.
public protocol RefBackend: Sendable {
    /// The value of `name`, without following symbolic refs.
    func get(_ name: String) throws(StoreError) -> RefValue?
    /// Every ref whose name starts with `prefix`, sorted by the bytes of their names.
    func list(prefix: String) throws(StoreError) -> [(name: String, value: RefValue)]
    /// The logged changes of `name` (of every ref when nil), oldest first.
    func reflog(_ name: String?) throws(StoreError) -> [ReflogEntry]
    /// Stores `blocks`, then applies `updates` if every expectation holds. Returns false (and
    /// changes no ref) when one does not.
    func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(StoreError) -> Bool
}

/// Refs held in memory, for a repository over any ``BlockStore`` (tests, caches).
public final class MemoryRefBackend: RefBackend {
    private let state: Mutex<State>
    private let store: any BlockStore

    private struct State {
        var refs: [String: RefValue]
        var reflog: [ReflogEntry] = []
    }

    /// Refs in memory over `store` (whose blocks ``commit(blocks:updates:message:)`` writes),
    /// starting with `refs`.
    public init(store: any BlockStore, refs: [String: RefValue] = [:]) {
        self.store = store
        self.state = Mutex(State(refs: refs))
    }

    public func get(_ name: String) throws(StoreError) -> RefValue? {
        try RefName.validate(name)
        return state.withLock { $0.refs[name] }
    }

    public func list(prefix: String) throws(StoreError) -> [(name: String, value: RefValue)] {
        state.withLock { s in s.refs.filter { $0.key.hasPrefix(prefix) }.map { ($0.key, $0.value) } }
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    public func reflog(_ name: String?) throws(StoreError) -> [ReflogEntry] {
        state.withLock { s in s.reflog.filter { name == nil || $0.name == name } }
    }

    public func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(StoreError) -> Bool {
        for u in updates { try RefName.validate(u.name) }
        do { try store.put(blocks) } catch let e as StoreError { throw e } catch { throw .backend(reason: .cause(error)) }
        let time = WallClock.microseconds()
        return state.withLock { s in
            var refs = s.refs
            for u in updates {
                guard u.expected.holds(for: refs[u.name]) else { return false }
                refs[u.name] = u.new
            }
            for u in updates {
                s.reflog.append(ReflogEntry(name: u.name, old: s.refs[u.name], new: u.new, time: time, message: message))
                s.refs[u.name] = refs[u.name]
            }
            return true
        }
    }
}

extension RefUpdate.Expectation {
    /// Whether a ref holding `actual` (nil: absent) meets this expectation.
    public func holds(for actual: RefValue?) -> Bool {
        switch self {
        case .any: true
        case .absent: actual == nil
        case .value(let v): actual == v
        }
    }
}
