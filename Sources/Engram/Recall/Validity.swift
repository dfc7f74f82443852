import EngramIPLD
import EngramProlly
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

/// A fact's validity interval, `from ..< to`; an absent end is open.
public struct ValidityInterval: Sendable, Hashable {
    /// The first instant the fact holds (nil: since always).
    public var from: Int64?
    /// The first instant it no longer holds (nil: still holds).
    public var to: Int64?

    public init(from: Int64? = nil, to: Int64? = nil) {
        self.from = from
        self.to = to
    }

    /// Whether the fact holds at `instant`.
    @inlinable
    public func contains(_ instant: Int64) -> Bool {
        if let from, from > instant { return false }
        if let to, to <= instant { return false }
        return true
    }

    /// The value of the interval's entry in the validity tree: `from` then `to`, each a tuple
    /// key value (SPEC.md 6.6): an integer, or null when open.
    var encoded: [UInt8] {
        var out: [UInt8] = []
        for end in [from, to] {
            // Integers and null always encode (never cut, never refused).
            out += (try? TupleKey.encoding(of: end.map(KeyValue.int) ?? .null).bytes) ?? []
        }
        return out
    }

    /// Reads an entry value of the validity tree (`key` names the entry in errors).
    init(decoding value: ProllyValue, key: [UInt8]) throws(GraphError) {
        guard case .bytes(let bytes) = value else {
            throw .tree(.malformedTupleKey(key: key, offset: 0, reason: "a validity entry's value is not bytes"))
        }
        let ends = try GraphError.tree { () throws(ProllyError) -> [Int64?] in
            var r = TupleKeyReader(bytes)
            var ends: [Int64?] = []
            for _ in 0..<2 {
                switch try r.readValue() {
                case .exact(.int(let t)): ends.append(t)
                case .exact(.null): ends.append(nil)
                default: throw r.malformed("a validity bound is an integer or null")
                }
            }
            try r.finish()
            return ends
        }
        self.init(from: ends[0], to: ends[1])
    }
}

/// The validity interval properties (SPEC.md 7.10).
public enum Validity {
    /// The property that opens a fact's interval.
    public static let fromProperty = "valid_from"
    /// The property that closes a fact's interval (exclusive).
    public static let toProperty = "valid_to"

    /// The interval properties `props` give, or nil when they carry neither bound. A bound that
    /// is not a 64-bit integer is ignored here (a commit refuses it, ``check(_:of:)``; facts
    /// written before validity was specified may have one).
    public static func interval(of props: IPLDMap) -> ValidityInterval? {
        var from: Int64?, to: Int64?
        if case .integer(let f)? = props[fromProperty] { from = f.int64 }
        if case .integer(let t)? = props[toProperty] { to = t.int64 }
        guard from != nil || to != nil else { return nil }
        return ValidityInterval(from: from, to: to)
    }

    /// Whether properties `props` are valid at `instant` (nil: always).
    public static func holds(_ props: IPLDMap, at instant: Int64?) -> Bool {
        guard let instant, let interval = interval(of: props) else { return true }
        return interval.contains(instant)
    }

    /// Refuses validity properties a commit must not write: a bound that is not an integer in
    /// signed 64 bits, or `valid_from >= valid_to` (an empty interval).
    public static func check(_ props: IPLDMap, of entity: EntityID) throws(GraphError) {
        var bounds: [Int64?] = []
        for name in [fromProperty, toProperty] {
            guard let value = props[name] else {
                bounds.append(nil)
                continue
            }
            guard case .integer(let i) = value else {
                throw .invalidValidity(entity: entity, reason: "\(name) is a \(value.kind), not an integer (microseconds)")
            }
            guard let t = i.int64 else { throw .invalidValidity(entity: entity, reason: "\(name) is beyond signed 64 bits") }
            bounds.append(t)
        }
        if let from = bounds[0], let to = bounds[1], from >= to {
            throw .invalidValidity(entity: entity, reason: "\(fromProperty) \(from) is not before \(toProperty) \(to)")
        }
    }
}
