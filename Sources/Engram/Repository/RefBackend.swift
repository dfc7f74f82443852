import EngramIPLD
import EngramStore
import Synchronization

/// Where a repository keeps its refs (`HEAD`, `refs/heads/<name>`): every change is a
/// compare-and-swap, made atomically with the blocks it publishes.
public protocol RefBackend: Sendable {
    /// The value of `name`, without following symbolic refs.
    func get(_ name: String) throws(GraphError) -> RefValue?
    /// Every ref whose name starts with `prefix`, sorted by name.
    func list(prefix: String) throws(GraphError) -> [(name: String, value: RefValue)]
    /// Stores `blocks`, then applies `updates` if every expectation holds. Returns false (and
    /// changes no ref) when one does not.
    func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(GraphError) -> Bool
}

/// The refs of a ``FileBlockStore``: durable, logged, atomic with the blocks.
public struct FileRefBackend: RefBackend {
    public let store: FileBlockStore

    public init(store: FileBlockStore) { self.store = store }

    public func get(_ name: String) throws(GraphError) -> RefValue? {
        do { return try store.refs.get(name) } catch { throw .store("\(error)") }
    }

    public func list(prefix: String) throws(GraphError) -> [(name: String, value: RefValue)] {
        store.refs.list(prefix: prefix)
    }

    public func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(GraphError) -> Bool {
        do {
            try store.commit(blocks: blocks, refUpdates: updates, message: message)
            return true
        } catch StoreError.refConflict {
            return false
        } catch {
            throw .store("\(error)")
        }
    }
}

/// Refs held in memory, for a repository over any ``BlockStore`` (tests, caches).
public final class MemoryRefBackend: RefBackend {
    let refs: Mutex<[String: RefValue]>
    let store: any BlockStore

    public init(store: any BlockStore, refs: [String: RefValue] = [:]) {
        self.store = store
        self.refs = Mutex(refs)
    }

    public func get(_ name: String) throws(GraphError) -> RefValue? { refs.withLock { $0[name] } }

    public func list(prefix: String) throws(GraphError) -> [(name: String, value: RefValue)] {
        refs.withLock { r in r.filter { $0.key.hasPrefix(prefix) }.map { ($0.key, $0.value) } }
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    public func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(GraphError) -> Bool {
        try store.putBlocks(blocks)
        return refs.withLock { r in
            var scratch = r
            for u in updates {
                let actual = scratch[u.name]
                switch u.expected {
                case .any: break
                case .absent: if actual != nil { return false }
                case .value(let v): if actual != v { return false }
                }
                scratch[u.name] = u.new
            }
            r = scratch
            return true
        }
    }
}
