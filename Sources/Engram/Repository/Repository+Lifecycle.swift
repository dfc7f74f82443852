import EngramStorage
import EngramStore
import Synchronization

extension Repository {
    /// Makes every commit made so far durable: a crash after `flush()` returns loses none of
    /// them. With the default strict durability a commit already is when it returns; this
    /// matters with `batched` or `none` (`FileBlockStore.Options`). A no-op for stores
    /// that keep nothing on disk.
    public func flush() throws(GraphError) {
        try checkOpen()
        guard let file = store as? FileBlockStore else { return }
        do { try file.flush() } catch { throw .wrapping(error) }
    }

    /// Flushes (see ``flush()``), releases the writer lock so another process can write, and
    /// stops the repository: every later call on it, and every read through a snapshot that
    /// reaches the store, throws ``GraphError/store(_:)`` with `StoreError.closed`.
    /// Closing twice does nothing.
    public func close() throws(GraphError) {
        let wasOpen = lifecycle.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard wasOpen, let file = store as? FileBlockStore else { return }
        do { try file.close() } catch { throw .wrapping(error) }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { lifecycle.withLock { $0 } }

    /// Throws `StoreError.closed` once the repository is closed.
    func checkOpen() throws(GraphError) {
        if isClosed { throw .store(.closed) }
    }
}
