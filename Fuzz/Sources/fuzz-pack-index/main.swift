#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
@_spi(Fuzzing) import EngramStore
import CFuzzerDriver
import FuzzSupport

/// Opening a pack index (`.idx`) and looking up and reading every entry, as the loader and a
/// read do, against a fixed valid `.pack`. Lying counts, fanout tables and entries pointing
/// anywhere must be errors, never traps or reads outside the files.
///
/// A real index is at least 256 KiB (the fanout table), too much for a fuzzer to mutate, so the
/// input describes one: `flags u8 | header 24 bytes | patch count u8 | patches (bucket u16,
/// value u32)... | entries (24 bytes each)...`. The fanout table is computed from the entries'
/// keys as the pack writer computes it, then patched. Flag bit 0 keeps the header's entry count
/// instead of the true one; bit 1 drops a trailing partial entry. `FUZZ_SKIP=huge-numbers` keeps
/// entry offsets below 2^62 and header counts below 2^54.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackIndex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(fuzzBytes(data, size))
    let flags = reader.byte()
    var header = reader.take(24)
    header += [UInt8](repeating: 0, count: 24 - header.count)
    var patches: [(bucket: Int, value: UInt32)] = []
    for _ in 0..<reader.byte() { patches.append((Int(reader.integer(UInt16.self)), reader.integer(UInt32.self))) }
    var entries = reader.rest()
    if flags & 2 != 0 { entries.removeLast(entries.count % 24) }
    let count = entries.count / 24
    if fuzzSkipped.contains("huge-numbers") {
        // Offsets below 2^62 and header counts below 2^54: past the known traps on numbers
        // that do not fit an Int or overflow when multiplied or added.
        for i in 0..<count { entries[24 * i + 15] &= 0x3f }
        header[23] = 0
        header[22] &= 0x3f
    }
    if flags & 1 == 0 {
        for i in 0..<8 { header[16 + i] = UInt8(truncatingIfNeeded: UInt64(count) >> (8 * i)) }
    }
    // Build the index in place (a fresh 256 KiB array per input would dominate the run).
    fanout.withUnsafeMutableBufferPointer { table in
        entries.withUnsafeBufferPointer { engram_fuzz_fanout(table.baseAddress, $0.baseAddress, count) }
        // Patches are stored little-endian, as the table is.
        for p in patches { table[p.bucket] = p.value.littleEndian }
    }
    index.removeAll(keepingCapacity: true)
    index += header
    fanout.withUnsafeBytes { index.append(contentsOf: $0) }
    index += entries
    index += [0, 0, 0, 0]
    guard overwrite(indexFile, with: index) else { fuzzCheck(false, "cannot write \(indexPath)"); return 0 }
    _ = try? StoreFuzzing.openPack(directory: directory, number: 1)
    return 0
}

let directory = makeTemporaryDirectory("pack-index")
let indexPath = directory + "/packs/0000000000000001.idx"
var indexFile: Int32 = -1
var fanout = [UInt32](repeating: 0, count: 65536)
var index: [UInt8] = []

/// What the index file holds (room for the largest index an input can describe).
var written = [UInt8](repeating: 0, count: 1 << 20)
var writtenCount = 0

/// Rewrites the index file in place, only the pages that changed: much cheaper than a new file.
func overwrite(_ fd: Int32, with bytes: [UInt8]) -> Bool {
    guard bytes.count <= written.count else { return false }
    let result = bytes.withUnsafeBufferPointer { new in
        written.withUnsafeMutableBufferPointer { old in
            engram_fuzz_rewrite(fd, new.baseAddress, old.baseAddress, new.count, writtenCount)
        }
    }
    guard result == 0 else { return false }
    writtenCount = bytes.count
    return true
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    // The fixed pack: a few blocks, raw and a CID-heavy DAG-CBOR one.
    mkdir(directory + "/packs", 0o755)
    atexit { removeDirectory(directory) }
    let blocks = [
        Block(bytes: Array("hello engram".utf8), codec: .raw),
        Block(bytes: [0xa0]),
        Block(bytes: [UInt8](repeating: 7, count: 200), codec: .raw),
        Block(bytes: Array("ünïcödé\u{0}".utf8), codec: .raw),
    ]
    do { try StoreFuzzing.writePack(blocks, number: 1, directory: directory) } catch {
        fputs("pack-index: cannot write the fixed pack: \(error)\n", stderr)
        abort()
    }
    indexFile = open(indexPath, O_RDWR)
    if indexFile < 0 { fputs("pack-index: cannot open \(indexPath)\n", stderr); abort() }
    // The seed: the real index, fanout table left out (recomputed from the entries).
    if let real = readFile(indexPath), real.count >= 24 + 4 * 65536 + 4 {
        FuzzSeeds.write("real-index", [0] + real[0..<24] + [0] + real[(24 + 4 * 65536)..<(real.count - 4)])
        FuzzSeeds.write("real-index-one-patch", [0] + real[0..<24] + [1, 0, 0, 0, 0, 0, 0] + real[(24 + 4 * 65536)..<(real.count - 4)])
    }
    return 0
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_pack_index_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzPackIndex($0, $1) }
}
