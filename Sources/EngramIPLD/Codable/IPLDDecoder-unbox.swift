extension IPLDDecoderImpl {
    /// A `T` from this decoder's value: types the bridge reads itself first (compared by type,
    /// never by cast), then `T(from:)`.
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self { return try decode(String.self) as! T }
        if T.self == Int.self { return try unboxFixedWidth(Int.self) as! T }
        if T.self == Bool.self { return try decode(Bool.self) as! T }
        if T.self == Double.self { return try unboxFloat(Double.self) as! T }
        if T.self == CID.self { return try unboxLink() as! T }
        if T.self == [UInt8].self { return try unboxBytes() as! T }
        if T.self == IPLD.self { return value as! T }
        if T.self == IPLDInteger.self { return try unboxInteger() as! T }
        if let data: T = try foundationData(from: self) { return data }
        return try T(from: self)
    }

    func unboxLink() throws -> CID {
        guard case .link(let cid) = value else { throw mismatch(CID.self, expected: "a link") }
        return cid
    }

    func unboxBytes() throws -> [UInt8] {
        guard case .bytes(let bytes) = value else { throw mismatch([UInt8].self, expected: "bytes") }
        return bytes
    }

    func unboxInteger() throws -> IPLDInteger {
        guard case .integer(let integer) = value else { throw mismatch(IPLDInteger.self, expected: "an integer") }
        return integer
    }

    /// An integer of type `I`, range-checked.
    func unboxFixedWidth<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let integer = try unboxInteger()
        guard let result = I(exactly: integer.int128) else {
            throw corrupted("integer \(integer) does not fit in \(I.self)")
        }
        return result
    }

    /// A float64, or an integer that converts to `F` exactly. A float64 read as `Float` is rounded
    /// to nearest; one beyond `Float`'s range is an error.
    func unboxFloat<F: BinaryFloatingPoint>(_ type: F.Type) throws -> F {
        switch value {
        case .float(let double):
            let result = F(double)
            guard result.isFinite else {
                throw corrupted("float \(double) does not fit in \(F.self)")
            }
            return result
        case .integer(let integer):
            guard let result = F(exactly: integer.int128) else {
                throw corrupted("integer \(integer) has no exact \(F.self) form")
            }
            return result
        default:
            throw mismatch(type, expected: "a float")
        }
    }

    /// `dataCorrupted` at this path, its message led by the path.
    func corrupted(_ reason: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: "at \(describeCodingPath(codingPath)): \(reason)"))
    }

    /// The error for a value of the wrong kind: `valueNotFound` for null, as Foundation does,
    /// `typeMismatch` otherwise.
    func mismatch(_ type: Any.Type, expected: String) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: codingPath,
            debugDescription: "at \(describeCodingPath(codingPath)): expected \(expected) for \(type), found \(value.kind.rawValue)")
        return value.isNull ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }
}
