import EngramIPLD

/// The refs of a ``FileBlockStore`` as a `RefBackend`: durable, logged, atomic with the blocks.
public struct FileRefBackend: RefBackend {
    /// The store holding the refs.
    public let store: FileBlockStore

    /// The refs of `store`.
    public init(store: FileBlockStore) { self.store = store }

    public func get(_ name: String) throws(StoreError) -> RefValue? {
        try RefName.validate(name)
        return store.state.withLock { $0.refs.refs[name] }
    }

    public func list(prefix: String) throws(StoreError) -> [(name: String, value: RefValue)] {
        store.refs.list(prefix: prefix)
    }

    public func reflog(_ name: String?) throws(StoreError) -> [ReflogEntry] {
        store.refs.reflog(name)
    }

    public func commit(blocks: [Block], updates: [RefUpdate], message: String) throws(StoreError) -> Bool {
        do {
            _ = try store.commit(blocks: blocks, refUpdates: updates, message: message)
            return true
        } catch StoreError.refConflict {
            return false
        } catch let e as StoreError {
            throw e
        } catch {
            throw .backend(reason: .cause(error))
        }
    }
}

extension FileBlockStore: StorageBackend {
    public var refBackend: any RefBackend { FileRefBackend(store: self) }
    /// `quarantine/` in the store directory (SPEC.md 4.1), made on first use.
    public var scratchDirectory: String? { directory + "/quarantine" }
}
