import EngramIPLD

extension CID {
    /// Why `bytes` are not the block this CID names, or nil when they hash to it.
    ///
    /// Store reads check a record's CRC, which a block replaced whole (new bytes, new CRC)
    /// passes; the graph and tree layers check this once per block read from the store, before
    /// decoding, so wrong content is refused rather than served.
    package func verificationFailure(_ bytes: [UInt8]) -> ErrorReason? {
        do { return try verify(bytes) ? nil : "bytes do not hash to the CID" } catch { return .cause(error, "cannot verify") }
    }
}
