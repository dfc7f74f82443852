import EngramIPLD
import EngramStorage
@testable import EngramProlly

/// A fresh tree storage over a counting memory store.
func makeStorage(cache: Int = 4096) -> (ProllyStorage, MemoryBlockStore) {
    let store = MemoryBlockStore()
    return (ProllyStorage(blocks: store, cache: NodeCache(capacity: cache)), store)
}

/// The reference model: a dictionary, read back in key order.
struct Model {
    var map: [[UInt8]: ProllyValue] = [:]

    var sorted: [ProllyEntry] {
        map.map { ProllyEntry(key: $0.key, value: $0.value) }.sorted { KeyOrder.less($0.key, $1.key) }
    }

    mutating func apply(_ mutations: [ProllyMutation]) {
        for m in mutations {
            switch m {
            case .upsert(let k, let v): map[k] = v
            case .remove(let k): map[k] = nil
            }
        }
    }
}

/// Keys from a small alphabet so random operations hit existing keys often.
func randomKey(_ rng: inout SplitMix64, space: UInt64) -> [UInt8] {
    let n = rng.next() % space
    var key: [UInt8] = Array("k".utf8)
    for shift in stride(from: 24, through: 0, by: -8) { key.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
    return key
}

func randomValue(_ rng: inout SplitMix64) -> ProllyValue {
    switch rng.next() % 8 {
    case 0: return .null
    case 1: return .link(CID(hashing: rng.bytes(8)))
    default: return .bytes(rng.bytes(Int(rng.next() % 40)))
    }
}

func randomBatch(_ rng: inout SplitMix64, size: Int, space: UInt64) -> [ProllyMutation] {
    (0..<size).map { _ in
        let key = randomKey(&rng, space: space)
        return rng.next() % 3 == 0 ? .remove(key: key) : .upsert(key: key, value: randomValue(&rng))
    }
}

/// Every node reachable from the root, checked for structure (leaves and branches alike).
func allNodes(_ tree: ProllyTree) throws -> [ProllyNode] {
    var out: [ProllyNode] = []
    var stack = [tree.root]
    while let cid = stack.popLast() {
        let node = try tree.storage.node(cid)
        out.append(node)
        stack.append(contentsOf: node.children)
    }
    return out
}
