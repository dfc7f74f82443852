import EngramIPLD
import FuzzSupport

/// DAG-JSON decode. Decoding accepts any whitespace and key order, so the oracle is the
/// canonical form: encoding what decoded must decode to the same value and re-encode to the
/// same bytes, and the value must survive DAG-CBOR too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDAGJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let value = try? DAGJSON.decode(bytes) else { return 0 }
    let canonical: [UInt8]
    do { canonical = try DAGJSON.encode(value) } catch {
        fuzzCheck(false, "a decoded value does not encode: \(error)")
        return 0
    }
    let text = String(decoding: canonical, as: UTF8.self)
    do {
        let back = try DAGJSON.decode(canonical)
        fuzzCheck(back == value, "decoding the canonical form \(text) changes the value")
        fuzzCheck((try? DAGJSON.encode(back)) == canonical, "the canonical form \(text) is not stable")
    } catch {
        fuzzCheck(false, "DAG-JSON rejects its own encoding \(text): \(error)")
    }
    if let cbor = try? DAGCBOR.encode(value) {
        do {
            let back = try DAGCBOR.decode(cbor)
            fuzzCheck(back == value, "DAG-CBOR round trip changes the value of \(text)")
        } catch {
            fuzzCheck(false, "DAG-CBOR rejects its own encoding of \(text): \(error)")
        }
    }
    return 0
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_dagjson_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzDAGJSON($0, $1) }
}
