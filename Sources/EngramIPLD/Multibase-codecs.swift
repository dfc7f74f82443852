/// An RFC 4648-style encoding: each character carries a fixed number of bits.
struct BitPackedCodec: Sendable {
    let alphabet: [UInt8]
    let bitsPerChar: Int
    let padded: Bool
    let caseInsensitive: Bool
    let lookup: [Int8]

    init(_ alphabet: String, bits: Int, padded: Bool = false, caseInsensitive: Bool = false) {
        self.alphabet = Array(alphabet.utf8)
        self.bitsPerChar = bits
        self.padded = padded
        self.caseInsensitive = caseInsensitive
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in self.alphabet.enumerated() {
            table[Int(c)] = Int8(i)
            if caseInsensitive {
                table[Int(Self.lower(c))] = Int8(i)
                table[Int(Self.upper(c))] = Int8(i)
            }
        }
        self.lookup = table
    }

    static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }
    static func upper(_ c: UInt8) -> UInt8 { (c >= 97 && c <= 122) ? c - 32 : c }

    /// Characters per padded group: the least count whose bits are a whole number of bytes.
    var groupSize: Int {
        var n = 1
        while (n * bitsPerChar) % 8 != 0 { n += 1 }
        return n
    }

    func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 8 + bitsPerChar - 1) / bitsPerChar + groupSize)
        var buffer: UInt32 = 0
        var bits = 0
        let mask = UInt32((1 << bitsPerChar) - 1)
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= bitsPerChar {
                bits -= bitsPerChar
                out.append(alphabet[Int((buffer >> UInt32(bits)) & mask)])
            }
            buffer &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 {
            out.append(alphabet[Int((buffer << UInt32(bitsPerChar - bits)) & mask)])
        }
        if padded {
            while out.count % groupSize != 0 { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func decode(_ text: [UInt8]) throws(MultibaseError) -> [UInt8] {
        var end = text.count
        if padded {
            while end > 0 && text[end - 1] == UInt8(ascii: "=") { end -= 1 }
            if text.count % groupSize != 0 { throw .invalidLength(text.count) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(end * bitsPerChar / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for i in 0..<end {
            let value = lookup[Int(text[i])]
            guard value >= 0 else { throw .invalidCharacter(text[i], offset: i) }
            buffer = (buffer << UInt32(bitsPerChar)) | UInt32(value)
            bits += bitsPerChar
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits must be fewer than one character's worth and all zero.
        if bits >= bitsPerChar { throw .invalidLength(end) }
        if buffer != 0 { throw .nonZeroPadding }
        return out
    }

    static let base2 = BitPackedCodec("01", bits: 1)
    static let base8 = BitPackedCodec("01234567", bits: 3)
    static let base16 = BitPackedCodec("0123456789abcdef", bits: 4, caseInsensitive: true)
    static let base16upper = BitPackedCodec("0123456789ABCDEF", bits: 4, caseInsensitive: true)
    static let base32 = BitPackedCodec("abcdefghijklmnopqrstuvwxyz234567", bits: 5, caseInsensitive: true)
    static let base32upper = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bits: 5, caseInsensitive: true)
    static let base32pad = BitPackedCodec("abcdefghijklmnopqrstuvwxyz234567", bits: 5, padded: true, caseInsensitive: true)
    static let base32padupper = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bits: 5, padded: true, caseInsensitive: true)
    static let base32hex = BitPackedCodec("0123456789abcdefghijklmnopqrstuv", bits: 5, caseInsensitive: true)
    static let base32hexupper = BitPackedCodec("0123456789ABCDEFGHIJKLMNOPQRSTUV", bits: 5, caseInsensitive: true)
    static let base32hexpad = BitPackedCodec("0123456789abcdefghijklmnopqrstuv", bits: 5, padded: true, caseInsensitive: true)
    static let base32hexpadupper = BitPackedCodec("0123456789ABCDEFGHIJKLMNOPQRSTUV", bits: 5, padded: true, caseInsensitive: true)
    static let base32z = BitPackedCodec("ybndrfg8ejkmcpqxot1uwisza345h769", bits: 5)
    static let base64 = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", bits: 6)
    static let base64pad = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", bits: 6, padded: true)
    static let base64url = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", bits: 6)
    static let base64urlpad = BitPackedCodec("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", bits: 6, padded: true)
}

/// A positional encoding in an arbitrary radix (base10, base36, base58): leading zero bytes
/// become leading zero digits, the rest is one big number.
struct RadixCodec: Sendable {
    let alphabet: [UInt8]
    let lookup: [Int8]

    init(_ alphabet: String, caseInsensitive: Bool = false) {
        self.alphabet = Array(alphabet.utf8)
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in self.alphabet.enumerated() {
            table[Int(c)] = Int8(i)
            if caseInsensitive {
                table[Int(BitPackedCodec.lower(c))] = Int8(i)
                table[Int(BitPackedCodec.upper(c))] = Int8(i)
            }
        }
        self.lookup = table
    }

    var radix: Int { alphabet.count }

    func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        var digits: [UInt8] = []  // little-endian digits in `radix`
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for j in digits.indices {
                carry += Int(digits[j]) << 8
                digits[j] = UInt8(carry % radix)
                carry /= radix
            }
            while carry > 0 {
                digits.append(UInt8(carry % radix))
                carry /= radix
            }
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.append(contentsOf: digits.reversed().map { alphabet[Int($0)] })
        return String(decoding: out, as: UTF8.self)
    }

    /// Digits taken at a time by ``decode(_:)``: the most whose value stays below 2^32.
    var digitsPerChunk: Int {
        var k = 0
        var power: UInt64 = 1
        while power * UInt64(radix) < 1 << 32 { power *= UInt64(radix); k += 1 }
        return k
    }

    /// Decodes digits into 32-bit little-endian limbs, a chunk of digits per pass over the
    /// limbs: still quadratic in the length, but about 20 times fewer steps than a pass per
    /// digit over bytes, and callers bound the length (a CID's text is short).
    func decode(_ text: [UInt8]) throws(MultibaseError) -> [UInt8] {
        let zeroDigit = alphabet[0]
        let zeros = text.prefix(while: { $0 == zeroDigit }).count
        let chunk = digitsPerChunk
        let base = UInt64(radix)
        var limbs: [UInt32] = []
        limbs.reserveCapacity(text.count / 4 + 1)
        var i = zeros
        while i < text.count {
            var value: UInt64 = 0
            var scale: UInt64 = 1
            let end = min(i + chunk, text.count)
            while i < end {
                let digit = lookup[Int(text[i])]
                guard digit >= 0 else { throw .invalidCharacter(text[i], offset: i) }
                value = value * base + UInt64(digit)
                scale *= base
                i += 1
            }
            // limb * scale + carry < 2^64: both factors are below 2^32 and so is the carry.
            var carry = value
            for j in limbs.indices {
                let x = UInt64(limbs[j]) * scale + carry
                limbs[j] = UInt32(truncatingIfNeeded: x)
                carry = x >> 32
            }
            while carry > 0 {
                limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
        }
        var out = [UInt8](repeating: 0, count: zeros)
        out.reserveCapacity(zeros + limbs.count * 4)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if byte != 0 { started = true }
                if started { out.append(byte) }
            }
        }
        return out
    }

    static let base10 = RadixCodec("0123456789")
    static let base36 = RadixCodec("0123456789abcdefghijklmnopqrstuvwxyz", caseInsensitive: true)
    static let base36upper = RadixCodec("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", caseInsensitive: true)
    static let base58btc = RadixCodec("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    static let base58flickr = RadixCodec("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
}
