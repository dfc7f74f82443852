import EngramIPLD
import EngramProlly

/// Numbers compare by value across integers and floats (SPEC.md 7.3): the props index keeps
/// integers and floats apart (all integers sort before all floats), so a numeric equality or
/// range query reads one key range of each kind and joins them.
enum NumericKeys {
    /// 2^63 as a double: the first double above every signed 64-bit integer.
    static let twoTo63 = 9_223_372_036_854_775_808.0

    /// Whether `value` is a number.
    static func isNumber(_ value: KeyValue) -> Bool {
        switch value {
        case .int, .float: true
        default: false
        }
    }

    /// The key values equal to `value`: a number as an integer and as a float where either is
    /// exact (1 and 1.0, -0.0 and 0), anything else itself.
    static func equalValues(_ value: KeyValue) -> [KeyValue] {
        switch value {
        case .int(let i):
            let d = Double(i)
            return Int64(exactly: d) == i ? [.int(i), .float(d)] : [.int(i)]
        case .float(let d):
            return Int64(exactly: d).map { [.int($0), .float(d)] } ?? [.float(d)]
        default:
            return [value]
        }
    }

    /// The integers `i` with `lower <= i < upper` (nil: unbounded) as an integer range (nil
    /// ends: the ends of the integers), or nil when there is none.
    static func integerRange(from lower: KeyValue?, to upper: KeyValue?) -> (lower: Int64?, upper: Int64?)? {
        var lo: Int64?, hi: Int64?
        switch lower {
        case .int(let i)?: lo = i
        case .float(let d)?:
            // The smallest integer >= d.
            let c = d.rounded(.up)
            if c >= twoTo63 { return nil }
            lo = c < -twoTo63 ? nil : Int64(exactly: c)
        default: lo = nil
        }
        switch upper {
        case .int(let i)?: hi = i
        case .float(let d)?:
            // i < d exactly when i < ceil(d).
            let c = d.rounded(.up)
            if c <= -twoTo63 { return nil }
            hi = c >= twoTo63 ? nil : Int64(exactly: c)
        default: hi = nil
        }
        if let lo, let hi, lo >= hi { return nil }
        return (lo, hi)
    }

    /// The floats `f` with `lower <= f < upper` (nil: unbounded) as a float range, or nil when
    /// there is none.
    static func floatRange(from lower: KeyValue?, to upper: KeyValue?) -> (lower: Double?, upper: Double?)? {
        func bound(_ v: KeyValue?) -> Double? {
            switch v {
            case .int(let i)?: smallestDouble(atLeast: i)
            case .float(let d)?: d
            default: nil
            }
        }
        // f < i exactly when f < the smallest double >= i (no double lies between i and it).
        let lo = bound(lower), hi = bound(upper)
        if let lo, let hi, !(lo < hi) { return nil }
        return (lo, hi)
    }

    /// The smallest double not below `i`.
    static func smallestDouble(atLeast i: Int64) -> Double {
        let d = Double(i)
        // Rounding to nearest may land below i; a double of magnitude < 2^63 is an exact Int64.
        guard d < twoTo63, let back = Int64(exactly: d) else { return d }
        return back < i ? d.nextUp : d
    }
}

extension GraphSnapshot {
    /// The key ranges a numeric range query reads: integers, then floats.
    func numericRanges(_ label: String, _ name: String, from lower: KeyValue?, to upper: KeyValue?)
        throws(GraphError) -> [(from: [UInt8], to: [UInt8]?)] {
        let prefix = try IndexKeys.prop(label, name)
        var ranges: [(from: [UInt8], to: [UInt8]?)] = []
        if let ints = NumericKeys.integerRange(from: lower, to: upper) {
            let (lo, hi) = ints
            let kind = prefix + [KeyValue.Tag.int]
            ranges.append((try lo.map { (i) throws(GraphError) in try IndexKeys.prop(label, name, .int(i)) } ?? kind,
                           try hi.map { (i) throws(GraphError) in try IndexKeys.prop(label, name, .int(i)) } ?? KeyOrder.prefixEnd(kind)))
        }
        if let floats = NumericKeys.floatRange(from: lower, to: upper) {
            let (lo, hi) = floats
            let kind = prefix + [KeyValue.Tag.float]
            ranges.append((try lo.map { (d) throws(GraphError) in try IndexKeys.prop(label, name, .float(d)) } ?? kind,
                           try hi.map { (d) throws(GraphError) in try IndexKeys.prop(label, name, .float(d)) } ?? KeyOrder.prefixEnd(kind)))
        }
        return ranges
    }

    /// The key ranges a range query reads: one per number kind when the bounds are numbers (or
    /// one number and one open end), else the single range between the two bounds' keys.
    func rangeKeys(_ label: String, _ name: String, from lower: IPLD?, to upper: IPLD?) throws(GraphError) -> [(from: [UInt8], to: [UInt8]?)] {
        let lo = try lower.map { (v) throws(GraphError) in try Self.indexable(v) }
        let hi = try upper.map { (v) throws(GraphError) in try Self.indexable(v) }
        let numeric = (lo.map(NumericKeys.isNumber) ?? true) && (hi.map(NumericKeys.isNumber) ?? true) && (lo != nil || hi != nil)
        if numeric { return try numericRanges(label, name, from: lo, to: hi) }
        let prefix = try IndexKeys.prop(label, name)
        return [(try lo.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, v) } ?? prefix,
                 try hi.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, v) } ?? KeyOrder.prefixEnd(prefix))]
    }
}

extension GraphSnapshot {
    /// Whether a stored property value matches `wanted` as an equality query matches it: numbers
    /// by value across integers and floats (1 matches 1.0), anything else exactly.
    public static func propertyMatches(_ stored: IPLD?, _ wanted: IPLD) -> Bool {
        guard let stored else { return false }
        if let s = IndexKeys.keyValue(stored), let w = IndexKeys.keyValue(wanted), NumericKeys.isNumber(s), NumericKeys.isNumber(w) {
            return NumericKeys.equalValues(w).contains(s)
        }
        return stored == wanted
    }
}
