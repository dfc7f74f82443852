/// A multicodec code: what the bytes a CID addresses are, or which hash made a multihash.
///
/// Any code is accepted and carried; only the ones with names below have meaning to Engram.
public struct Multicodec: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code.
    public var rawValue: UInt64
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The multicodec with code `rawValue`.
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// identity (0x00): the "digest" is the bytes themselves.
    public static let identity = Multicodec(0x00)
    /// sha2-256 (0x12), the default hash.
    public static let sha2_256 = Multicodec(0x12)
    /// sha2-512 (0x13).
    public static let sha2_512 = Multicodec(0x13)
    /// sha3-512 (0x14).
    public static let sha3_512 = Multicodec(0x14)
    /// blake3 (0x1e).
    public static let blake3 = Multicodec(0x1e)
    /// raw (0x55): bytes with no structure.
    public static let raw = Multicodec(0x55)
    /// dag-pb (0x70).
    public static let dagPB = Multicodec(0x70)
    /// dag-cbor (0x71): every Engram object.
    public static let dagCBOR = Multicodec(0x71)
    /// dag-json (0x0129).
    public static let dagJSON = Multicodec(0x0129)
    /// car (0x0202).
    public static let car = Multicodec(0x0202)
    /// blake2b-256 (0xb220).
    public static let blake2b_256 = Multicodec(0xb220)

    static let names: [UInt64: String] = [
        0x00: "identity", 0x12: "sha2-256", 0x13: "sha2-512", 0x14: "sha3-512", 0x1e: "blake3",
        0x55: "raw", 0x70: "dag-pb", 0x71: "dag-cbor", 0x0129: "dag-json", 0x0202: "car",
        0xb220: "blake2b-256", 0x78: "git-raw", 0x85: "dag-jose", 0x0200: "json", 0x51: "cbor",
    ]

    /// The registered name when Engram knows it (`dag-cbor`), otherwise nil.
    public var name: String? { Self.names[rawValue] }

    /// Looks a code up by its registered name.
    public init?(name: String) {
        guard let code = Self.names.first(where: { $0.value == name })?.key else { return nil }
        self.rawValue = code
    }

    public var description: String {
        name ?? "0x" + String(rawValue, radix: 16)
    }

    @inlinable public static func < (a: Multicodec, b: Multicodec) -> Bool { a.rawValue < b.rawValue }
}
