import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

@Suite struct BuildTests {
    @Test func goldenRootsMatchTheFixtures() throws {
        let fixture = try ProllyFixtures.load("golden.json")
        let trees = try #require(fixture["trees"]?.listValue)
        #expect(trees.count == 4)
        for tree in trees {
            let count = try #require(tree["count"]?.int64Value)
            let expected = try #require(tree["root"]?.stringValue)
            let (storage, _) = makeStorage()
            let built = try ProllyTree.build(unsorted: SplitMix64.entries(count: Int(count), seed: 42), in: storage)
            #expect(built.root.description == expected, "\(count) entries")
            #expect(try built.count() == UInt64(count))
            if let height = tree["height"]?.int64Value { #expect(try built.height() == Int(height)) }
            if let nodes = tree["nodes"]?.int64Value { #expect(try built.stats().nodeCount == Int(nodes)) }
        }
    }

    @Test func streamingBuilderRejectsKeysOutOfOrder() throws {
        let (storage, _) = makeStorage()
        var builder = ProllyBuilder(storage: storage)
        try builder.append(key: [2], value: .null)
        #expect(throws: ProllyError.keysNotIncreasing(previous: [2], key: [1])) { try builder.append(key: [1], value: .null) }
        #expect(throws: ProllyError.keysNotIncreasing(previous: [2], key: [2])) { try builder.append(key: [2], value: .null) }
    }

    @Test func limitsAreEnforcedWithTheKeyNamed() throws {
        let (storage, _) = makeStorage()
        let long = [UInt8](repeating: 1, count: 1025)
        var builder = ProllyBuilder(storage: storage)
        #expect(throws: ProllyError.keyTooLong(key: long, length: 1025)) { try builder.append(key: long, value: .null) }
        #expect(throws: ProllyError.valueTooLong(key: [1], length: 1025)) { try builder.append(key: [1], value: .bytes(long)) }
        let tree = try ProllyTree.empty(in: storage)
        #expect(throws: ProllyError.keyTooLong(key: long, length: 1025)) { try tree.inserting(long, .null) }
        // Right at the limits is fine.
        let edge = try tree.inserting(Array(long.dropLast()), .bytes(Array(long.dropLast())))
        #expect(try edge.count() == 1)
    }

    @Test func buildUnsortedKeepsTheLastValueOfARepeatedKey() throws {
        let (storage, _) = makeStorage()
        let tree = try ProllyTree.build(unsorted: [
            ProllyEntry(key: [3], value: .bytes([1])), ProllyEntry(key: [1], value: .null), ProllyEntry(key: [3], value: .bytes([2])),
        ], in: storage)
        #expect(try tree.collect() == [ProllyEntry(key: [1], value: .null), ProllyEntry(key: [3], value: .bytes([2]))])
    }

    @Test func nodesStayWithinTheSizeDistribution() throws {
        let (storage, _) = makeStorage()
        let tree = try ProllyTree.build(unsorted: SplitMix64.entries(count: 20000, seed: 5), in: storage)
        try tree.validate()
        let stats = try tree.stats()
        let leaves = stats.levels[0]
        let mean = leaves.bytes / leaves.nodes
        // Weibull(4, 4096) payload: mean about 3.7 KB, plus a few header bytes per entry.
        #expect(mean > 3000 && mean < 5500, "mean leaf \(mean) bytes")
        #expect(leaves.maxBytes < 16384 + 4096)
    }
}
