import EngramIPLD
import EngramStorage

/// What went wrong in a Prolly tree operation, naming the key or node involved.
public enum ProllyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A node the tree links to is not in the store.
    case missingNode(CID)
    /// The store failed while reading or writing a node (a store that throws something other
    /// than a `StoreError`; see ``storeFailed(_:_:)``).
    case store(CID?, reason: ErrorReason)
    /// The block store failed while reading or writing a node (its own error, kept whole).
    case storeFailed(CID?, StoreError)
    /// A node's bytes break the node format, the limits or the chunking rule.
    case invalidNode(CID?, reason: ErrorReason)
    /// The bytes the store holds for a node are not the node its CID names.
    case corruptNode(CID, reason: ErrorReason)
    /// A key is longer than ``ProllyLimits/maxKeyLength``.
    case keyTooLong(key: [UInt8], length: Int)
    /// A value is longer than the inline or link limit.
    case valueTooLong(key: [UInt8], length: Int)
    /// A bulk build was given keys out of order or repeated.
    case keysNotIncreasing(previous: [UInt8], key: [UInt8])
    /// The tree would be taller than ``ProllyLimits/maxHeight``.
    case heightLimitExceeded(Int)
    /// A position passed to `select` or a rank is beyond the entries.
    case indexOutOfRange(UInt64, count: UInt64)
    /// A proof does not verify against the root.
    case invalidProof(reason: ErrorReason)
    /// A tuple key component cannot be encoded (bad id length, NaN).
    case invalidKeyComponent(String)
    /// A tuple key read back does not follow SPEC.md 6.6 (`offset` is where reading failed).
    case malformedTupleKey(key: [UInt8], offset: Int, reason: String)

    public var description: String {
        switch self {
        case .missingNode(let c): "tree node \(c) is not in the store"
        case .store(let c, let r): "store failed" + (c.map { " on \($0)" } ?? "") + ": \(r)"
        case .storeFailed(let c, let e): "store failed" + (c.map { " on \($0)" } ?? "") + ": \(e)"
        case .invalidNode(let c, let r): "invalid tree node" + (c.map { " \($0)" } ?? "") + ": \(r)"
        case .corruptNode(let c, let r): "tree node \(c) is corrupt: \(r)"
        case .keyTooLong(let k, let n): "key \(Hex.encode(k.prefix(32)))... is \(n) bytes, over \(ProllyLimits.maxKeyLength)"
        case .valueTooLong(let k, let n): "value of key \(Hex.encode(k)) is \(n) bytes, over the limit"
        case .keysNotIncreasing(let p, let k): "key \(Hex.encode(k)) does not follow \(Hex.encode(p))"
        case .heightLimitExceeded(let h): "tree height \(h) exceeds \(ProllyLimits.maxHeight)"
        case .indexOutOfRange(let i, let n): "position \(i) is out of range (\(n) entries)"
        case .invalidProof(let r): "invalid proof: \(r)"
        case .invalidKeyComponent(let r): "invalid key component: \(r)"
        case .malformedTupleKey(let k, let o, let r): "malformed tuple key \(Hex.encode(k)) at byte \(o): \(r)"
        }
    }
}

extension ProllyError {
    /// A block store's `error` on `cid`: kept whole when it is a `StoreError`.
    static func storeFailure(_ error: any Error, on cid: CID?) -> ProllyError {
        if let e = error as? StoreError { .storeFailed(cid, e) } else { .store(cid, reason: .cause(error)) }
    }
}
