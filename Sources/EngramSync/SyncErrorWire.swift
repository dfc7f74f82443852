import EngramIPLD

/// How an error crosses the wire (SPEC.md 9.5): `{code: string, message: string, version: 1}`,
/// the code one of the ``SyncError`` case names. The client rebuilds the error as
/// ``SyncError/remote(code:message:)`` (or ``SyncError/unauthorized(_:)`` and
/// ``SyncError/notFound(_:)``, which it acts on).
extension SyncError {
    /// The case name (`unrequestedBlock`, `refMoved`, ...).
    public var code: String {
        switch self {
        case .malformedMessage: "malformedMessage"
        case .unrequestedBlock: "unrequestedBlock"
        case .blockTooLarge: "blockTooLarge"
        case .hashMismatch: "hashMismatch"
        case .incomplete: "incomplete"
        case .notACommit: "notACommit"
        case .refMoved: "refMoved"
        case .notFastForward: "notFastForward"
        case .unauthorized: "unauthorized"
        case .notFound: "notFound"
        case .transport: "transport"
        case .repository: "repository"
        case .archive: "archive"
        case .remote(let code, _): code
        }
    }

    /// The error message body.
    public func encodeForWire() -> [UInt8] {
        MessageCoding.encode([("code", .string(code)), ("message", .string(wireMessage))])
    }

    /// The message sent: the bare reason for the cases the client rebuilds as themselves (their
    /// description adds the prefix again), the whole description otherwise.
    var wireMessage: String {
        switch self {
        case .unauthorized(let r), .notFound(let r): r
        default: description
        }
    }

    /// The error a peer sent; a body that is not one becomes a ``malformedMessage(what:reason:)``.
    public static func decodeFromWire(_ bytes: [UInt8]) -> SyncError {
        let what = "error message"
        do {
            let map = try MessageCoding.decode(bytes, what: what)
            let code = try MessageCoding.string(map, "code", what: what)
            let message = try MessageCoding.string(map, "message", what: what)
            switch code {
            case "unauthorized": return .unauthorized(message)
            case "notFound": return .notFound(message)
            default: return .remote(code: code, message: message)
            }
        } catch {
            return error
        }
    }
}
