import EngramCAR
import EngramIPLD
import EngramStore
import FuzzSupport

/// The CAR reader over any bytes: the first input byte picks how many bytes the reader pulls
/// at a time (1 to 64), the rest is the archive. Oracles: reading in small pulls and all at once
/// gives the same header, blocks and error; every block's bytes hash to its CID (checked again
/// here); and an archive whose header is the one Engram writes rewrites to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCAR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzReader(fuzzBytes(data, size))
    let readSize = Int(input.byte() % 64) + 1
    let archive = input.rest()
    let limits = CARLimits(maxHeaderLength: 4096, maxBlockLength: 4096, maxRoots: 64)
    let pulled = read(archive, limits: limits, readSize: readSize)
    let whole = read(archive, limits: limits, readSize: 1 << 20)
    fuzzCheck(pulled.header == whole.header && pulled.blocks == whole.blocks && pulled.error == whole.error,
              "reading \(readSize) bytes at a time disagrees with reading at once: \(pulled.error as Any) vs \(whole.error as Any)")
    for block in whole.blocks {
        let function = HashFunction(code: block.cid.multihash.code)
        fuzzCheck(block.cid.multihash.code == .identity || function.map { Multihash(hashing: block.bytes, with: $0) == block.cid.multihash } ?? false,
                  "block \(block.cid) does not hash to its CID")
    }
    if let header = whole.header, whole.error == nil, header.version == 1,
       let encoded = try? header.encoded(), archive.starts(with: encoded) {
        let rewritten = try? CARWriter.archive(roots: header.roots, blocks: whole.blocks, limits: limits)
        fuzzCheck(rewritten == archive, "a canonical archive of \(whole.blocks.count) blocks does not rewrite to itself")
    }
    return 0
}

func read(_ archive: [UInt8], limits: CARLimits, readSize: Int) -> (header: CARHeader?, blocks: [Block], error: CARError?) {
    var blocks: [Block] = []
    do {
        var reader = try CARReader(CARBytesSource(archive), limits: limits, readSize: readSize)
        do {
            while let block = try reader.next() { blocks.append(block) }
        } catch {
            return (reader.header, blocks, error as? CARError)
        }
        return (reader.header, blocks, nil)
    } catch {
        return (nil, [], error as? CARError)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard FuzzSeeds.directory != nil else { return 0 }
    // Archives written by CARWriter: no roots, one, several; raw, DAG-CBOR, blake2b and identity
    // blocks; and the same payload wrapped as a CARv2.
    let raw = Block(bytes: Array("hello engram, é e\u{301} \0".utf8), codec: .raw)
    let cbor = (try? Block(encoding: .map(["name": .string("水"), "link": .link(raw.cid), "n": .int(-3)]))) ?? raw
    let blake = Block(bytes: [UInt8](repeating: 0x5a, count: 100), codec: .raw, function: .blake2b_256)
    let identity = (try? Multihash.identity([1, 2, 3])).flatMap { try? Block(cid: CID(codec: .raw, multihash: $0), bytes: [1, 2, 3]) } ?? raw
    let archives: [(String, [CID], [Block])] = [
        ("empty", [], []),
        ("one", [cbor.cid], [cbor, raw]),
        ("several", [cbor.cid, raw.cid, blake.cid], [cbor, raw, blake, identity, raw]),
    ]
    for (name, roots, blocks) in archives {
        guard let bytes = try? CARWriter.archive(roots: roots, blocks: blocks) else { continue }
        FuzzSeeds.write("car-\(name)", [7] + bytes)
        FuzzSeeds.write("car-\(name)-pull-1", [0] + bytes)
        FuzzSeeds.write("carv2-\(name)", [7] + carv2(wrapping: bytes))
    }
    return 0
}

/// `bytes` as the payload of a CARv2 (pragma, fixed header, payload right after it, no index).
func carv2(wrapping bytes: [UInt8]) -> [UInt8] {
    func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let pragma: [UInt8] = [0x0a, 0xa1, 0x67] + Array("version".utf8) + [0x02]
    return pragma + [UInt8](repeating: 0, count: 16) + le(51) + le(UInt64(bytes.count)) + le(0) + bytes
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_car_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzCAR($0, $1) }
}
