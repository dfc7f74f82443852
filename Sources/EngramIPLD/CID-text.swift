extension CID: CustomStringConvertible, LosslessStringConvertible {
    /// Parses a CID from text: multibase CIDv1 (base32 `b...`, base58btc `z...`, base16 `f...`,
    /// base64url `u...` and the other multibase encodings) or a base58btc CIDv0 (`Qm...`).
    /// Text longer than any CID could be in its encoding is refused before decoding (a radix
    /// decode costs time quadratic in the length): ``CIDError/textTooLong(length:limit:)``.
    public init(string: some StringProtocol) throws(CIDError) {
        let length = string.utf8.count
        if length == 46 && string.hasPrefix("Qm") {
            let bytes: [UInt8]
            do { bytes = try Multibase.base58btc.decodeWithoutPrefix(string) } catch {
                throw .invalidMultibase(encoding: "base58btc", reason: error.description)
            }
            self = try CID(bytes: bytes)
            return
        }
        guard let first = string.first else { throw .empty }
        guard let encoding = Multibase(prefix: first) else { throw .unknownMultibase(first) }
        let limit = 1 + encoding.maxEncodedLength(ofBytes: CID.maxBinaryLength)
        guard length <= limit else { throw .textTooLong(length: length, limit: limit) }
        let bytes: [UInt8]
        do { bytes = try encoding.decodeWithoutPrefix(string.dropFirst()) } catch {
            throw .invalidMultibase(encoding: encoding.rawValue, reason: error.description)
        }
        self = try CID(bytes: bytes)
    }

    /// Parses a CID from text, or nil when the text is not one. Use ``init(string:)`` for the reason.
    public init?(_ description: String) {
        guard let cid = try? CID(string: description) else { return nil }
        self = cid
    }

    /// The canonical text form: base32 lower (`b...`) for CIDv1, base58btc (`Qm...`) for CIDv0.
    public var description: String {
        version == 0 ? Multibase.base58btc.encodeWithoutPrefix(bytes) : Multibase.base32.encode(bytes)
    }

    /// The CID in the given multibase. A CIDv0 has only its base58btc form without prefix,
    /// so it is converted to CIDv1 for any other encoding.
    public func string(in encoding: Multibase) -> String {
        if version == 0 {
            if encoding == .base58btc { return description }
            return CID(codec: codec, multihash: multihash).string(in: encoding)
        }
        return encoding.encode(bytes)
    }

    /// This CID as a CIDv1 (a CIDv0 becomes the dag-pb CIDv1 of the same multihash).
    public var v1: CID { version == 1 ? self : CID(codec: codec, multihash: multihash) }

    /// Checks the DASL rules (see ``isDASL``), naming the first one broken.
    public func validateDASL() throws(CIDError) {
        guard version == 1 else { throw .notDASL("version \(version), DASL requires CIDv1") }
        guard codec == .dagCBOR || codec == .raw else { throw .notDASL("codec \(codec), DASL allows dag-cbor or raw") }
        guard multihash.code == .sha2_256 || multihash.code == .blake3 else {
            throw .notDASL("hash \(multihash.code), DASL allows sha2-256 or blake3")
        }
        guard multihash.digest.count == 32 else { throw .notDASL("digest of \(multihash.digest.count) bytes, DASL requires 32") }
    }
}
