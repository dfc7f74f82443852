import EngramIPLD

/// A block: bytes and the CID that addresses them, consistent by construction.
///
/// A `Block` is either made by hashing its bytes or checked against a given CID, so a store
/// that receives one need not hash it again.
public struct Block: Hashable, Sendable {
    /// The address of ``bytes``.
    public let cid: CID
    /// The canonical (uncompressed) bytes.
    public let bytes: [UInt8]

    /// Hashes `bytes` into a CIDv1 with `codec` and `function`.
    @inlinable
    public init(bytes: [UInt8], codec: Multicodec = .dagCBOR, function: HashFunction = .sha2_256) {
        self.cid = CID(hashing: bytes, codec: codec, function: function)
        self.bytes = bytes
    }

    /// Checks that `bytes` hash to `cid`.
    public init(cid: CID, bytes: [UInt8]) throws(StoreError) {
        let matches: Bool
        do { matches = try cid.verify(bytes) } catch { throw .unsupportedHash(cid) }
        guard matches else { throw .hashMismatch(cid) }
        self.cid = cid
        self.bytes = bytes
    }

    /// Pairs bytes with a CID the caller has already verified (a store reading its own checked
    /// records, or code that just hashed the bytes).
    @inlinable
    package init(unchecked cid: CID, bytes: [UInt8]) {
        self.cid = cid
        self.bytes = bytes
    }

    /// Encodes `value` as DAG-CBOR and hashes it.
    public init(encoding value: IPLD, function: HashFunction = .sha2_256) throws(DAGCBORError) {
        self.init(bytes: try DAGCBOR.encode(value), codec: .dagCBOR, function: function)
    }
}
