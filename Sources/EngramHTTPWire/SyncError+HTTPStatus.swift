import EngramSync

extension SyncError {
    /// The HTTP status a server answers this error with (SPEC.md 9.6). A client does not
    /// need it: the error body names the error itself.
    public var httpStatus: Int {
        switch self {
        case .malformedMessage, .archive: 400
        case .unauthorized: 401
        case .notFound: 404
        case .notFastForward: 409
        case .refMoved: 412
        case .unrequestedBlock, .hashMismatch, .blockTooLarge, .incomplete, .notACommit: 422
        case .transport, .repository, .remote: 500
        }
    }
}
