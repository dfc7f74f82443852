#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
@_spi(Fuzzing) import EngramStore
import FuzzSupport

/// The journal record scan the loader runs on every segment at open, then a read of each block
/// it indexed, the same bytes as a `MANIFEST` record, and the repair's salvage scan. Framing damage, impossible lengths,
/// bad CIDs, bad zstd payloads and bad commit bodies must all be errors or a clean stop.
///
/// Input: `flags u8 | records...`. Unless flag bit 1 is set, each record's CRC32C is rewritten
/// first so that fuzzed bodies reach the body decoders; bit 0 scans as the last segment; bit 2
/// salvages as a pack (no commit records).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(fuzzBytes(data, size))
    let flags = reader.byte()
    var records = reader.rest()
    if flags & 2 == 0 { StoreFuzzing.sealRecords(&records, from: 0) }
    if let (end, _) = try? StoreFuzzing.scanSegment(records, isLast: flags & 1 == 1) {
        fuzzCheck(end >= 16 && end <= records.count + 16, "scan ended at \(end) of \(records.count + 16) bytes")
    }
    _ = try? StoreFuzzing.decodeManifest(Array("ENGRAMMF".utf8) + records)
    // The repair's salvage scan accounts for every byte exactly once, kept or dropped.
    let salvage = StoreFuzzing.salvage(records, commitsAllowed: flags & 4 == 0)
    fuzzCheck(salvage.kept + salvage.dropped == salvage.scanned, "salvage kept \(salvage.kept) and dropped \(salvage.dropped) of \(salvage.scanned) bytes")
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard FuzzSeeds.directory != nil else { return 0 }
    // A real segment and manifest, written by the store itself: commits of raw and zstd blocks
    // with direct, symbolic and deleted refs.
    let directory = makeTemporaryDirectory("journal-seeds")
    defer { removeDirectory(directory) }
    do {
        var options = FileBlockStore.Options(durability: .strict, compressionLevel: 3)
        options.deferCompressionBelow = 0
        options.autoCompact = false
        let store = try FileBlockStore.create(at: directory, options: options)
        let small = Block(bytes: Array("hello engram".utf8), codec: .raw)
        let large = Block(bytes: [UInt8](repeating: 0x61, count: 300), codec: .raw)
        _ = try store.commit(blocks: [small, large], refUpdates: [.move("refs/heads/main", from: nil, to: small.cid)], message: "first")
        _ = try store.commit(blocks: [], refUpdates: [
            RefUpdate(name: "refs/heads/alias", expected: .absent, new: .symbolic("refs/heads/main")),
            .move("refs/heads/main", from: small.cid, to: large.cid),
        ], message: "zweite Änderung")
        _ = try store.commit(blocks: [Block(bytes: [0xa0])], refUpdates: [
            RefUpdate(name: "refs/heads/main", expected: .value(.cid(large.cid)), new: nil),
        ])
        let segment = readFile(directory + "/journal/0000000000000001.log")
        try store.compactAll()
        try store.close()
        if let segment, segment.count > 16 {
            FuzzSeeds.write("segment", [1] + segment[16...])
            // The first commit alone, scanned as a sealed segment.
            FuzzSeeds.write("segment-sealed-prefix", [0] + segment[16..<min(segment.count, 160)])
        }
        if let manifest = readFile(directory + "/MANIFEST"), manifest.count > 8 {
            FuzzSeeds.write("manifest", [0] + manifest[8...])
        }
    } catch {
        fputs("journal seeds: \(error)\n", stderr)
    }
    return 0
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_journal_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzJournal($0, $1) }
}
