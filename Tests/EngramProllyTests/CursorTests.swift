import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

@Suite struct CursorTests {
    func fixture(_ count: Int) throws -> (ProllyTree, [ProllyEntry]) {
        let (storage, _) = makeStorage()
        var rng = SplitMix64(seed: 99)
        var model = Model()
        for _ in 0..<count { model.map[randomKey(&rng, space: 1 << 20)] = randomValue(&rng) }
        let sorted = model.sorted
        return (try ProllyTree.build(sorted: sorted, in: storage), sorted)
    }

    @Test func forwardAndBackwardWalkEveryEntry() throws {
        let (tree, sorted) = try fixture(6000)
        var cursor = ProllyCursor(tree: tree)
        try cursor.seekToFirst()
        var forward: [ProllyEntry] = []
        repeat { if let e = cursor.entry { forward.append(e) } } while try cursor.moveNext()
        #expect(forward == sorted)
        #expect(cursor.entry == nil)
        var backward: [ProllyEntry] = []
        while try cursor.movePrevious() { backward.append(cursor.entry!) ; if backward.count > sorted.count { break } }
        #expect(backward == sorted.reversed())
        #expect(cursor.entry == sorted.first)
    }

    /// Entries read in place (position, withKey, withValueBytes) equal the copied ones.
    @Test func entriesReadInPlaceEqualTheCopiedOnes() throws {
        let (tree, sorted) = try fixture(3000)
        var cursor = ProllyCursor(tree: tree)
        try cursor.seekToFirst()
        var seen: [ProllyEntry] = []
        while let (leaf, i) = cursor.position {
            let key = leaf.withKey(at: i) { [UInt8]($0) }
            let value: ProllyValue? = leaf.withValueBytes(at: i) { raw in raw.map { .bytes([UInt8]($0)) } }
            switch leaf.value(at: i) {
            case .bytes: #expect(value == leaf.value(at: i))
            case .null, .link: #expect(value == nil)
            }
            seen.append(ProllyEntry(key: key, value: leaf.value(at: i)))
            try cursor.moveNext()
        }
        #expect(seen == sorted)
        #expect(sorted.contains { if case .bytes = $0.value { true } else { false } })
    }

    @Test func seekLandsOnTheFirstKeyNotLess() throws {
        let (tree, sorted) = try fixture(4000)
        var rng = SplitMix64(seed: 1)
        var cursor = ProllyCursor(tree: tree)
        for _ in 0..<300 {
            let probe = rng.next() % 3 == 0 ? sorted[Int(rng.next() % UInt64(sorted.count))].key : randomKey(&rng, space: 1 << 20) + (rng.next() % 2 == 0 ? [] : [7])
            try cursor.seek(to: probe)
            let expected = sorted.first { KeyOrder.compare($0.key, probe) >= 0 }
            #expect(cursor.entry == expected)
            let rank = try tree.rank(of: probe)
            #expect(rank == UInt64(sorted.firstIndex { KeyOrder.compare($0.key, probe) >= 0 } ?? sorted.count))
            #expect(try tree.get(probe) == sorted.first { $0.key == probe }?.value)
        }
        try cursor.seek(to: [0xff, 0xff])
        #expect(cursor.entry == nil)
        #expect(try cursor.movePrevious() && cursor.entry == sorted.last)
    }

    @Test func rangesPrefixesCountsAndSelect() throws {
        let (tree, sorted) = try fixture(5000)
        var rng = SplitMix64(seed: 4)
        for _ in 0..<60 {
            var a = randomKey(&rng, space: 1 << 20)
            var b = randomKey(&rng, space: 1 << 20)
            if KeyOrder.less(b, a) { swap(&a, &b) }
            let expected = sorted.filter { KeyOrder.compare($0.key, a) >= 0 && KeyOrder.less($0.key, b) }
            #expect(try tree.collect(from: a, to: b) == expected)
            #expect(try tree.count(from: a, to: b) == UInt64(expected.count))
            let prefix = Array(a.prefix(3))
            var iterator = try tree.entries(withPrefix: prefix)
            var got: [ProllyEntry] = []
            while let e = try iterator.next() { got.append(e) }
            #expect(got == sorted.filter { $0.key.starts(with: prefix) })
        }
        for i in stride(from: 0, to: sorted.count, by: 97) { #expect(try tree.select(UInt64(i)) == sorted[i]) }
        #expect(try tree.select(UInt64(sorted.count - 1)) == sorted.last)
        #expect(throws: ProllyError.indexOutOfRange(UInt64(sorted.count), count: UInt64(sorted.count))) {
            try tree.select(UInt64(sorted.count))
        }
        #expect(try tree.count(from: nil, to: nil) == UInt64(sorted.count))
    }

    @Test func prefixEndHandlesCarries() {
        #expect(KeyOrder.prefixEnd([1, 2]) == [1, 3])
        #expect(KeyOrder.prefixEnd([1, 0xff]) == [2])
        #expect(KeyOrder.prefixEnd([0xff, 0xff]) == nil)
        #expect(KeyOrder.prefixEnd([]) == nil)
    }
}
