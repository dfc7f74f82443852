import Engram
import EngramCAR
import EngramIPLD
import EngramStorage

/// Why a sync (fetch, push, clone, CAR import) failed. Nothing unverified is ever published:
/// whatever the error, the receiver's refs are unmoved and its readers see no new block.
public enum SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A protocol message is not what the protocol says (`what` names the message and field).
    case malformedMessage(what: String, reason: String)
    /// The peer sent a block no received block links to and no root names.
    case unrequestedBlock(CID)
    /// The peer sent a block larger than the receiver accepts.
    case blockTooLarge(CID, size: Int, limit: Int)
    /// The bytes received for a block do not hash to its CID.
    case hashMismatch(CID)
    /// The transfer ended before every block reachable from the roots arrived: `missing`
    /// blocks are still wanted (`sample` names a few). A later fetch resumes from them.
    case incomplete(missing: Int, sample: [CID])
    /// A ref target sent is not a commit.
    case notACommit(CID, reason: ErrorReason)
    /// Compare-and-swap refused: `ref` holds `current`, not what the update expected.
    case refMoved(ref: String, expected: CID?, current: CID?)
    /// The push would move `ref` to a commit that does not descend from its current target.
    case notFastForward(ref: String, current: CID, proposed: CID)
    /// The peer refused the request for want of (valid) credentials.
    case unauthorized(String)
    /// No such remote, repository or ref on the other side.
    case notFound(String)
    /// The transport failed (connection refused, reset, timed out, bad status).
    case transport(ErrorReason)
    /// The repository or store failed on this side (its error, kept whole).
    case repository(GraphError)
    /// The archive or stream could not be read (truncation, bad varint, bad CID, bad hash).
    case archive(CARError)
    /// The peer refused the request; `code` names its error (SPEC.md 9.5).
    case remote(code: String, message: String)

    public var description: String {
        switch self {
        case .malformedMessage(let w, let r): "malformed \(w): \(r)"
        case .unrequestedBlock(let c): "the peer sent block \(c), which nothing asked for"
        case .blockTooLarge(let c, let s, let l): "block \(c) is \(s) bytes, over the \(l)-byte limit"
        case .hashMismatch(let c): "the bytes received for \(c) do not hash to it"
        case .incomplete(let n, let s):
            "\(n) block(s) the roots reach are neither received nor stored (" + s.map(\.description).joined(separator: ", ")
                + (n > s.count ? ", ..." : "") + "); a cut fetch resumes when run again"
        case .notACommit(let c, let r): "\(c) is not a commit: \(r)"
        case .refMoved(let r, let e, let c):
            "\(r) moved: expected \(e.map { "\($0)" } ?? "no ref"), found \(c.map { "\($0)" } ?? "no ref")"
        case .notFastForward(let r, let c, let p):
            "\(r) is at \(c), which \(p) does not descend from (fetch and merge, or push --force)"
        case .unauthorized(let r): "unauthorized: \(r)"
        case .notFound(let r): "not found: \(r)"
        case .transport(let r): "the connection to the remote failed: \(r)"
        case .repository(let e): "\(e)"
        case .archive(let e): "\(e)"
        case .remote(_, let m): "the remote refused: \(m)"
        }
    }
}

extension SyncError {
    /// `error` (thrown by a block stream or a transport) as a sync error, its cause kept.
    public static func wrapping(_ error: any Error) -> SyncError {
        switch error {
        case let e as SyncError: e
        case let e as CARError: .archive(e)
        case let e as GraphError: .repository(e)
        case let e as StoreError: .repository(.store(e))
        default: .transport(.cause(error))
        }
    }
}
