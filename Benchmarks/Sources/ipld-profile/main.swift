import BenchmarkCorpus
import EngramIPLD
let values = Corpus.records().map(\.ipld)
let blocks = values.map { try! DAGCBOR.encode($0) }
let mode = CommandLine.arguments.dropFirst().first ?? "encode"
var n = 0
for _ in 0..<40 {
    if mode == "encode" { for v in values { n &+= try! DAGCBOR.encode(v).count } }
    else { for b in blocks { if case .map(let m) = try! DAGCBOR.decode(b) { n &+= m.count } } }
}
print(n)
