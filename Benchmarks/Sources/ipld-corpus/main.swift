import BenchmarkCorpus
import EngramIPLD

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Writes the benchmark corpus to standard output as a sequence of varint(length) + DAG-CBOR
// block, so that the Python peers (scripts/ipld_peers.py) read exactly the same bytes.
var out: [UInt8] = []
for block in Corpus.blocks() {
    try Varint.write(UInt64(block.count), into: &out)
    out.append(contentsOf: block)
}
var written = 0
while written < out.count {
    let n = out.withUnsafeBytes { write(1, $0.baseAddress! + written, $0.count - written) }
    guard n > 0 else { fatalError("cannot write the corpus to standard output") }
    written += n
}
