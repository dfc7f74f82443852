/// Through the IPLD bridge a CID is a link (tag 42 in DAG-CBOR, `{"/": ...}` in DAG-JSON).
/// Through other coders (`JSONEncoder`...) it is its text form, base32 `b...` for CIDv1.
extension CID: Codable {
    public func encode(to encoder: any Encoder) throws {
        if let bridge = encoder as? IPLDEncoderImpl {
            bridge.store(.link(self))
            return
        }
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        if let bridge = decoder as? IPLDDecoderImpl {
            self = try bridge.unboxLink()
            return
        }
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CID(string: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid CID \"\(text)\": \(error)")
        }
    }
}
