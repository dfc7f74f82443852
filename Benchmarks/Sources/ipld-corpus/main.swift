import BenchmarkCorpus
import EngramIPLD

#if canImport(Glibc)
import Glibc
#endif

// Writes the benchmark corpus to standard output as a sequence of varint(length) + DAG-CBOR
// block, so that the Python peers (benchmarks/scripts/ipld_peers.py) read exactly the same bytes.
var out: [UInt8] = []
for block in Corpus.blocks() {
    try Varint.write(UInt64(block.count), into: &out)
    out.append(contentsOf: block)
}
_ = out.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stdout) }
