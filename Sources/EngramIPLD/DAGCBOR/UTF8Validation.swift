/// Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF), with a
/// word-at-a-time path for ASCII, which most keys and text are.
@usableFromInline
enum UTF8Validation {
    @usableFromInline
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var i = 0
        guard let base = bytes.baseAddress else { return true }
        while i < count {
            // Skip ASCII eight bytes at a time.
            while i + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < count else { return true }
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var lowest: UInt8 = 0x80, highest: UInt8 = 0xbf  // allowed range of the second byte
            switch b0 {
            case 0xc2...0xdf: length = 2
            case 0xe0: length = 3; lowest = 0xa0
            case 0xe1...0xec, 0xee...0xef: length = 3
            case 0xed: length = 3; highest = 0x9f
            case 0xf0: length = 4; lowest = 0x90
            case 0xf1...0xf3: length = 4
            case 0xf4: length = 4; highest = 0x8f
            default: return false
            }
            guard i + length <= count else { return false }
            let b1 = bytes[i + 1]
            guard b1 >= lowest && b1 <= highest else { return false }
            for k in 2..<length where bytes[i + k] & 0xc0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
