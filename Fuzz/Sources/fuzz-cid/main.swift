import EngramIPLD
import FuzzSupport

/// CID parsing from binary and from text, and multibase decoding. Binary CIDs have one form,
/// so what parses must re-encode to the input; text has many (every multibase), so each form
/// the CID prints in must parse back to it; and multibase must round-trip its own bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCID(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let cid = try? CID(bytes: bytes) {
        fuzzCheck(cid.bytes == bytes, "binary CID \(bytes) re-encodes as \(cid.bytes)")
        fuzzCheck(cid.encodedLength == bytes.count, "encodedLength \(cid.encodedLength) for \(bytes.count) bytes")
        checkText(cid)
    }
    // Reading from a buffer stops after the CID: the parsed prefix must re-encode to itself.
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        if let cid = try? CID.read(from: buffer, at: &offset) {
            fuzzCheck(offset == cid.encodedLength && Array(buffer[0..<offset]) == cid.bytes, "CID.read consumed \(offset) bytes")
        }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    if let cid = try? CID(string: text) {
        checkText(cid)
        _ = try? cid.validateDASL()
    }
    if let (encoding, decoded) = try? Multibase.decode(text) {
        let again = encoding.encode(decoded)
        fuzzCheck((try? Multibase.decode(again))?.bytes == decoded, "\(encoding) does not round-trip \(decoded) via \(again)")
    }
    return 0
}

func checkText(_ cid: CID) {
    fuzzCheck((try? CID(string: cid.description)) == cid, "\(cid) does not parse back")
    for encoding in Multibase.allCases {
        let text = cid.string(in: encoding)
        fuzzCheck((try? CID(string: text)) == cid.v1 || (try? CID(string: text)) == cid, "\(cid) in \(encoding) (\(text)) does not parse back")
    }
}

/// The program's entry (SwiftPM links `main` to it): libFuzzer with this harness.
@_cdecl("fuzz_cid_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzzCID($0, $1) }
}
