import PropertyBased
import Testing
@testable import EngramStore

@Suite struct CRC32CTests {
    /// The bit-at-a-time definition, to check the slice-by-8 tables against.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    @Test func standardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        // RFC 3720 B.4: 32 bytes of zeros.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test func matchesBitwiseDefinition() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...255).array(of: 0...100)) { values in
            let bytes = values.map { UInt8($0) }
            #expect(CRC32C.checksum(bytes) == Self.reference(bytes))
            #expect(bytes.withUnsafeBytes { CRC32C.software($0) } == Self.reference(bytes))
        }
    }

    /// The instruction path and the table path agree at every length and alignment (the
    /// instruction path takes 8 bytes at a time, then a byte at a time).
    @Test func hardwareAndTablesAgree() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...255).array(of: 0...300), Gen.int(in: 0...7)) { values, shift in
            let bytes = values.map { UInt8($0) }
            let k = min(shift, bytes.count)
            bytes.withUnsafeBytes { all in
                let tail = UnsafeRawBufferPointer(rebasing: all[k...])
                #expect(CRC32C.checksum(tail, continuing: 0x1234_5678) == CRC32C.software(tail, continuing: 0x1234_5678))
            }
        }
    }

    @Test func continuesAcrossSplits() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...255).array(of: 0...64), Gen.int(in: 0...64)) { values, cut in
            let bytes = values.map { UInt8($0) }
            let k = min(cut, bytes.count)
            let first = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<k])) }
            let whole = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[k...]), continuing: first) }
            #expect(whole == CRC32C.checksum(bytes))
        }
    }
}
