import EngramIPLD
import EngramProlly
import EngramStore

/// Real trees for the Prolly harnesses' seeds, built by the project's own builder.
public enum ProllySeeds {
    /// Every node of trees of 1, 40 and 600 generated entries (some values links, some null),
    /// root first, each list in the order a walk from the root meets them.
    public static func trees() -> [[[UInt8]]] {
        [1, 40, 600].compactMap { count in
            var entries = SplitMix64.entries(count: count, seed: UInt64(count))
            for i in entries.indices where i % 3 == 1 { entries[i].value = .link(CID(hashing: entries[i].key)) }
            for i in entries.indices where i % 7 == 2 { entries[i].value = .null }
            let store = MemoryBlockStore()
            let storage = ProllyStorage(blocks: store)
            guard let tree = try? ProllyTree.build(unsorted: entries, in: storage) else { return nil }
            var nodes: [[UInt8]] = []
            var queue = [tree.root]
            while !queue.isEmpty {
                let cid = queue.removeFirst()
                guard let node = try? storage.node(cid) else { continue }
                nodes.append(node.bytes)
                queue += node.children
            }
            return nodes
        }
    }
}
