import BenchmarkCorpus
import EngramIPLD
let values = Corpus.records().map(\.ipld)
let blocks = values.map { try! DAGCBOR.encode($0) }
let total = Double(blocks.reduce(0) { $0 + $1.count })
let mode = CommandLine.arguments.dropFirst().first ?? "encode"
var n = 0
var best = Duration.seconds(100)
let rounds = Int(CommandLine.arguments.dropFirst(2).first ?? "30")!
for _ in 0..<rounds {
    let start = ContinuousClock.now
    if mode == "encode" { for v in values { n &+= try! DAGCBOR.encode(v).count } }
    else { for b in blocks { if case .map(let m) = try! DAGCBOR.decode(b) { n &+= m.count } } }
    best = min(best, ContinuousClock.now - start)
}
let seconds = Double(best.components.attoseconds) / 1e18 + Double(best.components.seconds)
print(mode, Int(total / seconds / 1e6), "MB/s", n)
