import EngramProlly

/// Deterministic "memory records" for the recall benchmarks: short observations an agent might
/// keep, drawn from a Zipf-like vocabulary (some words common, most rare) with non-ASCII words
/// among them, so BM25's idf matters and both engines see the same text.
public struct RecallCorpus: Sendable {
    public let records: [String]
    public let queries: [String]
    public let vocabulary: [String]

    /// `count` records of 8 to 40 words and `queryCount` queries of 1 to 3 words.
    public init(count: Int, queryCount: Int = 200, seed: UInt64 = 7) {
        var rng = SplitMix64(seed: seed)
        let base = ["editor", "vim", "emacs", "meeting", "lunch", "deploy", "server", "garden", "paris", "tokyo",
                    "café", "naïve", "straße", "über", "résumé", "coffee", "tea", "python", "swift", "rust",
                    "deadline", "invoice", "birthday", "flight", "hotel", "doctor", "piano", "guitar", "bicycle", "train"]
        var vocabulary = base
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qu", "än", "øy"]
        while vocabulary.count < 20_000 {
            let n = Int(rng.next() % 3) + 2
            vocabulary.append((0..<n).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined())
        }
        self.vocabulary = vocabulary
        /// Word i has weight ~ 1/(i+1): draw by inverting a cumulative table.
        var cumulative: [Double] = []
        cumulative.reserveCapacity(vocabulary.count)
        var total = 0.0
        for i in vocabulary.indices {
            total += 1 / Double(i + 1)
            cumulative.append(total)
        }
        func word(_ rng: inout SplitMix64) -> String {
            let x = Double(rng.next() >> 11) / Double(1 << 53) * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return vocabulary[lo]
        }
        var records: [String] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            let n = Int(rng.next() % 33) + 8
            records.append((0..<n).map { _ in word(&rng) }.joined(separator: " "))
        }
        self.records = records
        var queries: [String] = []
        for _ in 0..<queryCount {
            let n = Int(rng.next() % 3) + 1
            // Skip the 50 most common words so queries are selective, as an agent's would be.
            queries.append((0..<n).map { _ in vocabulary[50 + Int(rng.next() % 2_000)] }.joined(separator: " "))
        }
        self.queries = queries
    }
}
