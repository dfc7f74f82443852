import EngramIPLD

/// What went wrong in a block or ref store, naming the object involved.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No block with this CID is stored.
    case notFound(CID)
    /// The bytes given for a CID do not hash to it.
    case hashMismatch(CID)
    /// The CID's hash function is one Engram cannot compute, so the block cannot be verified.
    case unsupportedHash(CID)
    /// A stored block failed its checks when read back (bad checksum, bad hash, undecodable).
    case corruptBlock(CID, reason: ErrorReason)
    /// A block is larger than the store accepts.
    case blockTooLarge(CID, size: Int, limit: Int)
    /// A commit would write records that a reader could not read back (too many ref updates,
    /// a message too long, too many bytes); nothing was written.
    case commitTooLarge(reason: String)
    /// A ref name breaks the naming rules.
    case invalidRefName(String)
    /// A compare-and-swap on a ref found another value than the one expected.
    case refConflict(name: String, expected: CID?, actual: CID?)
    /// The store is read-only (opened as a reader, or its writer lock is held elsewhere).
    case readOnly
    /// Another process holds the writer lock.
    case locked(path: String, pid: Int32?)
    /// The on-disk format is newer or unknown.
    case unsupportedFormat(path: String, found: String)
    /// A file in the store is damaged beyond what recovery repairs.
    case corruptStore(path: String, reason: ErrorReason)
    /// Bytes that had been made durable are damaged (a flipped bit, a zeroed page, a cut or
    /// missing file): no crash can leave them so, so they are reported instead of being cut off
    /// like a torn tail. Opening refuses the store and nothing is truncated or deleted;
    /// `FileBlockStore.repair(at:options:)` (in `EngramStore`) (`engram fsck --repair`) salvages it.
    case damaged(path: String, offset: Int, reason: String)
    /// A commit was written but the `fdatasync` that makes it durable failed: it may or may not
    /// be there after the store is reopened. Retrying blindly may commit twice; reopen and check.
    case commitOutcomeUnknown(path: String, errno: Int32)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The store was closed.
    case closed
    /// A backend other than the file store failed; `reason` is its own account.
    case backend(reason: ErrorReason)
    /// `create` found a store already there.
    case alreadyExists(path: String)
    /// The directory holds no store (no `HEADER`).
    case notAStore(path: String)

    public var description: String {
        switch self {
        case .notFound(let c): "block \(c) not found"
        case .hashMismatch(let c): "bytes do not hash to \(c)"
        case .unsupportedHash(let c): "cannot verify \(c): hash \(c.multihash.code) is not supported"
        case .corruptBlock(let c, let r): "block \(c) is corrupt: \(r)"
        case .blockTooLarge(let c, let s, let l): "block \(c) is \(s) bytes, over the \(l)-byte limit"
        case .commitTooLarge(let r): "commit refused: \(r)"
        case .invalidRefName(let n): "invalid ref name '\(n)'"
        case .refConflict(let n, let e, let a):
            "ref \(n) moved: expected \(e.map { "\($0)" } ?? "none"), found \(a.map { "\($0)" } ?? "none")"
        case .readOnly: "the repository was opened for reading only, so this cannot write to it"
        case .locked(let p, let pid): "\(p) is locked by " + (pid.map { "pid \($0)" } ?? "another process")
        case .unsupportedFormat(let p, let f): "\(p): unsupported store format \(f)"
        case .corruptStore(let p, let r): "\(p) is corrupt: \(r)"
        case .damaged(let p, let o, let r): "\(p) is damaged at byte \(o): \(r) (the store is left as it is; `engram fsck --repair` keeps the damaged file aside and salvages every intact commit)"
        case .commitOutcomeUnknown(let p, let e):
            "the commit was written but syncing \(p) failed with \(ErrnoText.describe(e)): reopen the store to see whether it is there"
        case .io(let op, let p, let e): "\(op) \(p) failed: \(ErrnoText.describe(e))"
        case .closed: "the store is closed"
        case .backend(let r): "storage backend: \(r)"
        case .alreadyExists(let p): "\(p) already holds a store"
        case .notAStore(let p): "\(p) is not an Engram store (it has no HEADER file)"
        }
    }
}
