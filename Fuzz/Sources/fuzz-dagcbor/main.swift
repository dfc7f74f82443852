import EngramIPLD
import FuzzSupport

/// Strict DAG-CBOR decode. Decoding accepts only canonical bytes, so whatever decodes must
/// re-encode to the same bytes; the validating and link-walking readers must agree with it;
/// and the value must survive DAG-JSON when DAG-JSON can hold it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDAGCBOR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let value: IPLD
    do {
        value = try DAGCBOR.decode(bytes)
    } catch {
        fuzzCheck((try? DAGCBOR.validate(bytes)) == nil, "validate accepts what decode rejects: \(error)")
        return 0
    }
    fuzzCheck((try? DAGCBOR.validate(bytes)) != nil, "validate rejects what decode accepts")
    let again: [UInt8]
    do { again = try DAGCBOR.encode(value) } catch {
        fuzzCheck(false, "a decoded value does not encode: \(error)")
        return 0
    }
    fuzzCheck(again == bytes, "re-encoding gives other bytes: \(again) for \(bytes)")
    if let links = try? DAGCBOR.links(in: bytes) {
        // Same links in any order: a map's entries need not be kept in encoded order.
        fuzzCheck(sortedBytes(links) == sortedBytes(collectLinks(value)), "links(in:) disagrees with the decoded value")
    } else {
        fuzzCheck(false, "links(in:) rejects what decode accepts")
    }
    if let json = try? DAGJSON.encode(value) {
        do {
            let back = try DAGJSON.decode(json)
            fuzzCheck(back == value, "DAG-JSON round trip changes the value: \(String(decoding: json, as: UTF8.self))")
        } catch {
            fuzzCheck(false, "DAG-JSON rejects its own encoding \(String(decoding: json, as: UTF8.self)): \(error)")
        }
    }
    return 0
}

func collectLinks(_ value: IPLD) -> [CID] {
    switch value {
    case .link(let cid): [cid]
    case .list(let items): items.flatMap(collectLinks)
    case .map(let map): map.flatMap { collectLinks($0.value) }
    default: []
    }
}

func sortedBytes(_ cids: [CID]) -> [[UInt8]] {
    cids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_dagcbor_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzDAGCBOR($0, $1) }
}
