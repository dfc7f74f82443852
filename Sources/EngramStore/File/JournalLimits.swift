/// What one commit may write to the journal, checked before anything is written, so that every
/// record stays addressable (`JournalIndex`) and readable (`Record.maxBody`) after a reopen.
enum JournalLimits {
    /// The most bytes one commit may append (128 GiB): a commit starts below
    /// ``maxSegmentBytes``, so every record offset stays within `JournalIndex.maxOffset` (512 GiB).
    static let maxCommitBytes = 1 << 37
    /// The largest segment size accepted in the options (256 GiB; larger values are lowered to it).
    static let maxSegmentBytes = 1 << 38

    /// Refuses a commit whose records take `bytes` bytes, writing nothing.
    static func checkCommit(bytes: Int) throws(StoreError) {
        guard bytes <= maxCommitBytes else {
            throw .commitTooLarge(reason: "\(bytes) bytes of records, over the \(maxCommitBytes)-byte limit")
        }
    }

    /// Refuses a commit record that a reader could not read back: more than `UInt16.max` ref
    /// updates (the count is a u16) or a body over `Record.maxBody` (readers take a longer
    /// record for damage).
    static func checkCommitRecord(bodyLength: Int, updates: Int) throws(StoreError) {
        guard updates <= Int(UInt16.max) else {
            throw .commitTooLarge(reason: "\(updates) ref updates, over the \(UInt16.max) a commit record holds")
        }
        guard bodyLength <= Record.maxBody else {
            throw .commitTooLarge(reason: "commit record of \(bodyLength) bytes (message and ref updates), over the \(Record.maxBody)-byte limit")
        }
    }
}
