/// The CARv2 fixed header: 16 bytes of characteristics, then the data offset, data size and
/// index offset as little-endian `UInt64`s. A reader only needs where the CARv1 payload lies;
/// the index is ignored.
struct CARv2Header {
    static let length = 40

    let dataOffset: UInt64
    let dataSize: UInt64

    init(_ bytes: ArraySlice<UInt8>) {
        func u64(_ at: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in (0..<8).reversed() { value = value << 8 | UInt64(bytes[bytes.startIndex + at + i]) }
            return value
        }
        dataOffset = u64(16)
        dataSize = u64(24)
    }

    /// The payload's range in the archive, and how many bytes lie between `headerEnd` (where
    /// the fixed header ends) and the payload.
    func payload(headerEnd: Int) throws(CARError) -> (Range<Int>, skip: Int) {
        guard let start = Int(exactly: dataOffset), start >= headerEnd else {
            throw .invalidV2Header(reason: "data offset \(dataOffset) is before the header's end at \(headerEnd)")
        }
        guard let size = Int(exactly: dataSize), case (let end, false) = start.addingReportingOverflow(size) else {
            throw .invalidV2Header(reason: "data offset \(dataOffset) plus size \(dataSize) overflows")
        }
        return (start..<end, start - headerEnd)
    }
}
