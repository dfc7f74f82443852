/// Multibase text encodings: a one-character prefix naming the base, then the encoded bytes.
///
/// CIDs print in ``base32`` (prefix `b`). Parsing accepts every case below, which covers the
/// bases of the multibase registry except base256emoji.
public enum Multibase: String, CaseIterable, Sendable {
    /// Binary, octal and decimal.
    case base2, base8, base10
    /// Hexadecimal, lower and upper case.
    case base16, base16upper
    /// RFC 4648 base32, lower and upper case, with and without padding (`b...` is CIDv1's default).
    case base32, base32upper, base32pad, base32padupper
    /// RFC 4648 base32 with the extended hex alphabet, and z-base-32.
    case base32hex, base32hexupper, base32hexpad, base32hexpadupper, base32z
    /// Base36, lower and upper case.
    case base36, base36upper
    /// Base58 with the Bitcoin (CIDv0's) and Flickr alphabets.
    case base58btc, base58flickr
    /// RFC 4648 base64 and base64url, with and without padding.
    case base64, base64pad, base64url, base64urlpad

    /// The prefix character that names the encoding.
    public var prefix: Character {
        switch self {
        case .base2: "0"
        case .base8: "7"
        case .base10: "9"
        case .base16: "f"
        case .base16upper: "F"
        case .base32: "b"
        case .base32upper: "B"
        case .base32pad: "c"
        case .base32padupper: "C"
        case .base32hex: "v"
        case .base32hexupper: "V"
        case .base32hexpad: "t"
        case .base32hexpadupper: "T"
        case .base32z: "h"
        case .base36: "k"
        case .base36upper: "K"
        case .base58btc: "z"
        case .base58flickr: "Z"
        case .base64: "m"
        case .base64pad: "M"
        case .base64url: "u"
        case .base64urlpad: "U"
        }
    }

    /// The encoding named by `prefix`, if supported.
    public init?(prefix: Character) {
        guard let match = Self.allCases.first(where: { $0.prefix == prefix }) else { return nil }
        self = match
    }

    /// `bytes` encoded, with the prefix.
    public func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(prefix) + encodeWithoutPrefix(Array(bytes))
    }

    /// `bytes` encoded, without the prefix.
    public func encodeWithoutPrefix(_ bytes: [UInt8]) -> String {
        switch codec {
        case .bits(let c): c.encode(bytes)
        case .radix(let c): c.encode(bytes)
        }
    }

    /// The most characters (without the prefix) that `count` bytes take in this encoding.
    public func maxEncodedLength(ofBytes count: Int) -> Int {
        switch codec {
        case .bits(let c):
            let chars = (count * 8 + c.bitsPerChar - 1) / c.bitsPerChar
            return c.padded ? (chars + c.groupSize - 1) / c.groupSize * c.groupSize : chars
        case .radix(let c):
            // A leading zero byte is one digit; the rest is a number below 2^(8 n), which has at
            // most 8 n / log2(radix) digits: bounded here with the whole bits of a digit.
            let bitsPerDigit = Int.bitWidth - c.radix.leadingZeroBitCount - 1
            return (count * 8 + bitsPerDigit - 1) / bitsPerDigit + 1
        }
    }

    /// Decodes text in this encoding that has no prefix.
    public func decodeWithoutPrefix(_ text: some StringProtocol) throws(MultibaseError) -> [UInt8] {
        switch codec {
        case .bits(let c): try c.decode(Array(text.utf8))
        case .radix(let c): try c.decode(Array(text.utf8))
        }
    }

    /// Decodes prefixed multibase text, returning the encoding it named and the bytes.
    public static func decode(_ text: some StringProtocol) throws(MultibaseError) -> (encoding: Multibase, bytes: [UInt8]) {
        guard let first = text.first else { throw .empty }
        guard let encoding = Multibase(prefix: first) else { throw .unknownPrefix(first) }
        return (encoding, try encoding.decodeWithoutPrefix(text.dropFirst()))
    }

    var codec: Codec {
        switch self {
        case .base2: .bits(.base2)
        case .base8: .bits(.base8)
        case .base10: .radix(.base10)
        case .base16: .bits(.base16)
        case .base16upper: .bits(.base16upper)
        case .base32: .bits(.base32)
        case .base32upper: .bits(.base32upper)
        case .base32pad: .bits(.base32pad)
        case .base32padupper: .bits(.base32padupper)
        case .base32hex: .bits(.base32hex)
        case .base32hexupper: .bits(.base32hexupper)
        case .base32hexpad: .bits(.base32hexpad)
        case .base32hexpadupper: .bits(.base32hexpadupper)
        case .base32z: .bits(.base32z)
        case .base36: .radix(.base36)
        case .base36upper: .radix(.base36upper)
        case .base58btc: .radix(.base58btc)
        case .base58flickr: .radix(.base58flickr)
        case .base64: .bits(.base64)
        case .base64pad: .bits(.base64pad)
        case .base64url: .bits(.base64url)
        case .base64urlpad: .bits(.base64urlpad)
        }
    }

    enum Codec {
        case bits(BitPackedCodec)
        case radix(RadixCodec)
    }
}

/// Why multibase text could not be decoded.
public enum MultibaseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No text.
    case empty
    /// The first character names no multibase.
    case unknownPrefix(Character)
    /// A character outside the encoding's alphabet, at `offset`.
    case invalidCharacter(UInt8, offset: Int)
    /// A length the encoding cannot produce.
    case invalidLength(Int)
    /// The bits after the last whole byte are not zero.
    case nonZeroPadding

    public var description: String {
        switch self {
        case .empty: "empty multibase text"
        case .unknownPrefix(let c): "unknown multibase prefix '\(c)'"
        case .invalidCharacter(let c, let o):
            "invalid character '\(Character(Unicode.Scalar(c)))' at position \(o)"
        case .invalidLength(let n): "invalid length \(n)"
        case .nonZeroPadding: "trailing bits are not zero (non-canonical encoding)"
        }
    }
}
