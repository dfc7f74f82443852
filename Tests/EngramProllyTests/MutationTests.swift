import EngramIPLD
import EngramStore
import Testing
@testable import EngramProlly

@Suite struct MutationTests {
    @Test func randomBatchesMatchModelAndBulkBuild() throws {
        var rng = SplitMix64(seed: 7)
        let (storage, _) = makeStorage()
        var tree = try ProllyTree.empty(in: storage)
        var model = Model()
        for round in 0..<60 {
            let size = [1, 3, 17, 200, 900][round % 5]
            let batch = randomBatch(&rng, size: size, space: 3000)
            tree = try tree.applying(batch)
            model.apply(batch)
            let expected = model.sorted
            #expect(try tree.collect() == expected)
            #expect(try tree.count() == UInt64(expected.count))
            let bulk = try ProllyTree.build(sorted: expected, in: storage)
            #expect(tree.root == bulk.root, "round \(round)")
        }
    }
}
