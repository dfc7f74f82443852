import EngramIPLD
import struct EngramProlly.SplitMix64

/// The deterministic benchmark corpus: agent-memory records from a fixed seed.
public enum Corpus {
    static let words = [
        "user", "prefers", "dark", "mode", "meeting", "moved", "to", "thursday", "remember", "the",
        "deadline", "for", "quarterly", "report", "project", "engram", "café", "résumé", "agent",
        "observed", "tool", "call", "failed", "because", "network", "timeout", "retry", "later", "memory",
        "summary", "of", "conversation", "about", "travel", "plans", "to", "京都", "in", "spring",
    ]
    static let labels = ["Memory", "Fact", "Episode", "Preference", "Task", "Person"]

    /// `count` records from `seed`.
    public static func records(count: Int = 10_000, seed: UInt64 = 42) -> [MemoryRecord] {
        var g = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let id = (0..<16).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let wordCount = 10 + g.below(50)
            let text = (0..<wordCount).map { _ in words[g.below(words.count)] }.joined(separator: " ")
            let tags = (0..<g.below(5)).map { _ in words[g.below(words.count)] }
            let source = CID(hashing: id, codec: .raw)
            let embedding = (0..<8).map { _ in Double(Int(g.next() % 2_000_001) - 1_000_000) / 1_000_000 }
            return MemoryRecord(
                id: id, label: labels[g.below(labels.count)], text: text,
                importance: Double(g.below(1000)) / 1000 + 0.0005, createdMicros: 1_700_000_000_000_000 + Int64(i) * 1_000_003,
                tags: tags, source: source, embedding: embedding)
        }
    }

    /// The corpus as canonical DAG-CBOR blocks.
    public static func blocks(count: Int = 10_000, seed: UInt64 = 42) -> [[UInt8]] {
        records(count: count, seed: seed).map { try! DAGCBOR.encode($0.ipld) }
    }
}

extension SplitMix64 {
    /// A value in `0..<n` (the corpus's own reduction: `next() % n`, kept for stable corpora).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
