import Foundation
import Hummingbird
import Synchronization

/// A request body read under limits: more than `maxBytes`, or still arriving after
/// `maxSeconds`, ends the read with a ``BodyLimitError`` at once, without reading on. The
/// violation is also recorded in ``violation`` so the handler can answer 413 or 408 even when
/// the error reached it wrapped by an endpoint.
struct LimitedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let maxBytes: Int
    let deadline: ContinuousClock.Instant
    let tripwire = Tripwire()

    init(_ base: Base, maxBytes: Int, maxSeconds: Int) {
        self.base = base
        self.maxBytes = maxBytes
        self.deadline = .now + .seconds(maxSeconds)
    }

    /// The limit the body broke, if any.
    var violation: BodyLimitError? { tripwire.value }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), maxBytes: maxBytes, deadline: deadline, tripwire: tripwire)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let maxBytes: Int
        let deadline: ContinuousClock.Instant
        let tripwire: Tripwire
        var count = 0

        mutating func next() async throws -> ByteBuffer? {
            if let violation = tripwire.value { throw violation }
            guard let chunk = try await base.next() else { return nil }
            count += chunk.readableBytes
            if count > maxBytes { throw tripwire.trip(.tooLarge(limit: maxBytes)) }
            if ContinuousClock.now > deadline { throw tripwire.trip(.tooSlow) }
            return chunk
        }
    }

    final class Tripwire: Sendable {
        private let state = Mutex<BodyLimitError?>(nil)

        var value: BodyLimitError? { state.withLock { $0 } }

        func trip(_ error: BodyLimitError) -> BodyLimitError {
            state.withLock { $0 = $0 ?? error }
            return error
        }
    }
}

/// A request body over a server limit.
enum BodyLimitError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case tooSlow

    var description: String {
        switch self {
        case .tooLarge(let limit): "the request body is over the \(limit)-byte limit"
        case .tooSlow: "the request body took too long to arrive"
        }
    }

    /// 413 Content Too Large, or 408 Request Timeout.
    var httpStatus: Int {
        switch self {
        case .tooLarge: 413
        case .tooSlow: 408
        }
    }
}
