import EngramIPLD
import EngramStorage

/// The time at which a fact must be valid to be returned (SPEC.md 7.10).
///
/// A node or edge may carry a validity interval in its properties: `valid_from` and `valid_to`,
/// integers in microseconds since the Unix epoch. It is valid at `t` when
/// `valid_from <= t` (or there is no `valid_from`) and `t < valid_to` (or there is no
/// `valid_to`). Facts without either property are always valid.
public enum ValidityTime: Sendable, Hashable {
    /// Valid at the moment the query runs (the default).
    case now
    /// Valid at this time, in microseconds since the Unix epoch.
    case at(Int64)
    /// Validity is not checked: every fact, closed or not.
    case any

    /// The instant to check, or nil for ``any``.
    public func instant() -> Int64? {
        switch self {
        case .now: WallClock.microseconds()
        case .at(let t): t
        case .any: nil
        }
    }
}

/// The validity interval properties (SPEC.md 7.10).
public enum Validity {
    /// The property that opens a fact's interval.
    public static let fromProperty = "valid_from"
    /// The property that closes a fact's interval (exclusive).
    public static let toProperty = "valid_to"

    /// Whether properties `props` are valid at `instant` (nil: always).
    @inlinable
    public static func holds(_ props: IPLDMap, at instant: Int64?) -> Bool {
        guard let instant else { return true }
        if case .integer(let from)? = props[fromProperty], let f = from.int64, f > instant { return false }
        if case .integer(let to)? = props[toProperty], let t = to.int64, t <= instant { return false }
        return true
    }
}
