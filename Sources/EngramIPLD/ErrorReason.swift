/// Why something failed, as an error case carries it: text, and when another error was the
/// reason, that error kept whole as its ``cause`` (so a caller can still match on it, as GRDB's
/// errors keep theirs). It reads, compares and hashes as its text, so a case that carries it
/// stays `Equatable` and its message reads as before; a string literal or interpolation makes
/// one from text alone.
public struct ErrorReason: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The reason as text (for a cause: the cause's own text, after any context).
    public let description: String
    /// The error that was the reason, if one was.
    public let cause: (any Error)?

    /// A reason that is `text`, with `cause` if an error was the reason.
    public init(_ text: String, cause: (any Error)? = nil) {
        self.description = text
        self.cause = cause
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    /// `error` as the reason, its text after `context` ("context: error") when one is given.
    public static func cause(_ error: any Error, _ context: String? = nil) -> ErrorReason {
        ErrorReason(context.map { "\($0): \(error)" } ?? "\(error)", cause: error)
    }

    public static func == (a: ErrorReason, b: ErrorReason) -> Bool { a.description == b.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
