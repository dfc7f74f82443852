import EngramIPLD

extension FileBlockStore {
    /// Keeps `cids` and everything they link to from garbage collection until ``unpin(_:)``,
    /// whether or not a ref reaches them: a write session pins the blocks it staged and the
    /// commit it builds on, so a collection running before its ref update cannot drop them.
    /// Pins are counted, and live only in memory (a reopened store has none).
    public func pin(_ cids: [CID]) {
        guard !cids.isEmpty else { return }
        state.withLock { s in
            for c in cids { s.pins[c, default: 0] += 1 }
        }
    }

    /// Releases one pin of each of `cids`.
    public func unpin(_ cids: [CID]) {
        guard !cids.isEmpty else { return }
        state.withLock { s in
            for c in cids {
                guard let n = s.pins[c] else { continue }
                s.pins[c] = n > 1 ? n - 1 : nil
            }
        }
    }

    /// Every pinned CID.
    public func pinned() -> [CID] { state.withLock { Array($0.pins.keys) } }
}
