import EngramIPLD

extension Array where Element == UInt8 {
    /// `00` absent, `01` + binary CID, `02` + u16-prefixed name.
    mutating func appendRefValue(_ v: RefValue?) {
        switch v {
        case nil: append(0)
        case .cid(let c)?: append(1); c.append(to: &self)
        case .symbolic(let n)?: append(2); appendShortString(n)
        }
    }
}

extension ByteReader {
    mutating func refValue() throws(Failure) -> RefValue? {
        switch try read(UInt8.self) {
        case 0: return nil
        case 1: return .cid(try cid())
        case 2: return .symbolic(try shortString())
        case let t: throw Failure(offset: offset - 1, reason: "unknown ref value tag \(t)")
        }
    }
}
