import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

func modelDiff(_ a: [[UInt8]: ProllyValue], _ b: [[UInt8]: ProllyValue]) -> [ProllyDiffEntry] {
    var out: [ProllyDiffEntry] = []
    for key in Set(a.keys).union(b.keys).sorted(by: KeyOrder.less) {
        switch (a[key], b[key]) {
        case (let x?, nil): out.append(ProllyDiffEntry(key: key, change: .removed(x)))
        case (nil, let y?): out.append(ProllyDiffEntry(key: key, change: .added(y)))
        case (let x?, let y?) where x != y: out.append(ProllyDiffEntry(key: key, change: .changed(old: x, new: y)))
        default: break
        }
    }
    return out
}

@Suite struct DiffTests {
    @Test func diffMatchesTheModel() throws {
        let (storage, _) = makeStorage()
        var rng = SplitMix64(seed: 21)
        var model = Model()
        model.apply(randomBatch(&rng, size: 6000, space: 8000))
        let base = try ProllyTree.empty(in: storage).applying(model.sorted.map { .upsert(key: $0.key, value: $0.value) })
        for size in [0, 1, 5, 80, 2000] {
            var other = model
            let batch = randomBatch(&rng, size: size, space: 9000)
            other.apply(batch)
            let changed = try base.applying(batch)
            let expected = modelDiff(model.map, other.map)
            var diff = try base.diff(to: changed)
            #expect(try diff.collect() == expected)
            var back = try changed.diff(to: base)
            #expect(try back.collect().count == expected.count)
            // Restricted to a range.
            let lo = randomKey(&rng, space: 9000)
            let hi = KeyOrder.prefixEnd(lo + [0x80])!
            var ranged = try base.diff(to: changed, from: lo, to: hi)
            #expect(try ranged.collect() == expected.filter { KeyOrder.compare($0.key, lo) >= 0 && KeyOrder.less($0.key, hi) })
        }
        let empty = try ProllyTree.empty(in: storage)
        var all = try empty.diff(to: base)
        #expect(try all.collect() == model.sorted.map { ProllyDiffEntry(key: $0.key, change: .added($0.value)) })
    }

    @Test func diffReadsOnlyChangedPaths() throws {
        let store = MemoryBlockStore()
        let storage = ProllyStorage(blocks: store, cache: NodeCache(capacity: 0))
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 1_000_000, seed: 8))
        let a = try ProllyTree.build(sorted: entries, in: storage)
        var rng = SplitMix64(seed: 9)
        let batch: [ProllyMutation] = (0..<100).map { i in
            let key = entries[Int(rng.next() % UInt64(entries.count))].key
            return i % 3 == 0 ? .remove(key: key) : i % 3 == 1 ? .upsert(key: key, value: .null) : .upsert(key: rng.bytes(16), value: .null)
        }
        let b = try a.applying(batch)
        let height = max(try a.height(), try b.height())
        store.resetCounters()
        var diff = try a.diff(to: b)
        let changes = try diff.collect()
        #expect(changes.count == 100)
        let reads = store.counts.gets
        #expect(reads <= 100 * height * 2, "\(reads) reads for 100 changes at height \(height)")
    }
}

@Suite struct MergeTests {
    @Test func mergeMatchesTheModel() throws {
        let (storage, _) = makeStorage()
        var rng = SplitMix64(seed: 31)
        for round in 0..<12 {
            var baseModel = Model()
            baseModel.apply(randomBatch(&rng, size: 3000, space: 4000))
            let base = try ProllyTree.build(sorted: baseModel.sorted, in: storage)
            var leftModel = baseModel
            var rightModel = baseModel
            // One-sided deletes included: each side removes keys the other leaves alone.
            let leftBatch = randomBatch(&rng, size: [3, 40, 500][round % 3], space: 4000)
            let rightBatch = randomBatch(&rng, size: [600, 2, 50][round % 3], space: 4000)
            leftModel.apply(leftBatch)
            rightModel.apply(rightBatch)
            let left = try base.applying(leftBatch)
            let right = try base.applying(rightBatch)
            var expected = leftModel.map
            var expectedConflicts: [[UInt8]] = []
            for key in Set(baseModel.map.keys).union(leftModel.map.keys).union(rightModel.map.keys).sorted(by: KeyOrder.less) {
                let (b, l, r) = (baseModel.map[key], leftModel.map[key], rightModel.map[key])
                if l == r { continue }
                if l == b { expected[key] = r } else if r != b { expectedConflicts.append(key) }
            }
            let result = try ProllyTree.merge(base: base, left: left, right: right)
            #expect(result.conflicts.map(\.key) == expectedConflicts)
            #expect(try result.tree.collect() == Model(map: expected).sorted)
            // The resolver can take the right side, delete, or store its own value.
            let takeRight = try ProllyTree.merge(base: base, left: left, right: right) { _ in .right }
            var rightWins = expected
            for key in expectedConflicts { rightWins[key] = rightModel.map[key] }
            #expect(takeRight.conflicts.isEmpty)
            #expect(try takeRight.tree.collect() == Model(map: rightWins).sorted)
            let custom = try ProllyTree.merge(base: base, left: left, right: right) { c in c.key.last! % 2 == 0 ? .delete : .value(.bytes([1])) }
            var resolved = expected
            for key in expectedConflicts { resolved[key] = key.last! % 2 == 0 ? nil : .bytes([1]) }
            #expect(try custom.tree.collect() == Model(map: resolved).sorted)
            // Swapping the sides and taking the (new) right side at conflicts gives the same tree.
            let swapped = try ProllyTree.merge(base: base, left: right, right: left) { _ in .right }
            #expect(swapped.tree.root == result.tree.root)
        }
    }

    @Test func oneSidedDeletePropagates() throws {
        let (storage, _) = makeStorage()
        let base = try ProllyTree.build(sorted: (0..<2000).map { ProllyEntry(key: [UInt8($0 >> 8), UInt8($0 & 0xff)], value: .null) }, in: storage)
        let left = try base.removing([0, 5])
        let right = try base.inserting([9, 9], .bytes([1]))
        let merged = try ProllyTree.merge(base: base, left: left, right: right)
        #expect(try merged.tree.get([0, 5]) == nil)
        #expect(try merged.tree.get([9, 9]) == .bytes([1]))
        #expect(merged.tree.root == (try base.applying([.remove(key: [0, 5]), .upsert(key: [9, 9], value: .bytes([1]))])).root)
    }
}
