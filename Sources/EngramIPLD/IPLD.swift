/// A value of the IPLD data model: what one DAG-CBOR or DAG-JSON block holds.
///
/// Text is compared byte for byte (its UTF-8), never by Unicode canonical equivalence, so a
/// value and its encoding round-trip exactly; floats are compared by their bits.
public enum IPLD: Sendable {
    /// Null.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer anywhere in CBOR's range, `-2^64 ... 2^64 - 1`.
    case integer(IPLDInteger)
    /// A finite float64 other than -0.0.
    case float(Double)
    /// Text (any Unicode scalars, NUL included), kept byte for byte.
    case string(String)
    /// Bytes.
    case bytes([UInt8])
    /// A list of values.
    case list([IPLD])
    /// A map from text keys to values.
    case map(IPLDMap)
    /// A link. Boxed, so that the enum stays as small as a String and lists of values copy cheaply.
    indirect case link(CID)

    /// The kind of value, for error messages and schema checks.
    public var kind: Kind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .integer: .integer
        case .float: .float
        case .string: .string
        case .bytes: .bytes
        case .list: .list
        case .map: .map
        case .link: .link
        }
    }

    /// The data-model kinds.
    public enum Kind: String, Sendable {
        /// Each case names the ``IPLD`` case of the same name.
        case null, bool, integer, float, string, bytes, list, map, link
    }
}

extension IPLD {
    /// An integer value from a signed integer.
    public static func int(_ value: some BinaryInteger) -> IPLD { .integer(IPLDInteger(value)) }

    /// The map entry `key`, or nil when this is not a map or has no such key.
    public subscript(key: String) -> IPLD? {
        guard case .map(let map) = self else { return nil }
        return map[key]
    }

    /// The list element at `index`, or nil when this is not a list or the index is out of range.
    public subscript(index: Int) -> IPLD? {
        guard case .list(let list) = self, list.indices.contains(index) else { return nil }
        return list[index]
    }

    /// The text, if this is text.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The bytes, if these are bytes.
    public var bytesValue: [UInt8]? { if case .bytes(let b) = self { b } else { nil } }
    /// The boolean, if this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The float, if this is one (integers are not converted).
    public var floatValue: Double? { if case .float(let d) = self { d } else { nil } }
    /// The linked CID, if this is a link.
    public var linkValue: CID? { if case .link(let c) = self { c } else { nil } }
    /// The values, if this is a list.
    public var listValue: [IPLD]? { if case .list(let l) = self { l } else { nil } }
    /// The map, if this is one.
    public var mapValue: IPLDMap? { if case .map(let m) = self { m } else { nil } }
    /// The integer, if this is one.
    public var integerValue: IPLDInteger? { if case .integer(let i) = self { i } else { nil } }
    /// The integer as an `Int64`, when it is one and fits.
    public var int64Value: Int64? { integerValue?.int64 }
    /// Whether this is null.
    public var isNull: Bool { if case .null = self { true } else { false } }
}

extension IPLD: Hashable {
    public static func == (a: IPLD, b: IPLD) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.float(let x), .float(let y)): x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): x.utf8.elementsEqual(y.utf8)
        case (.bytes(let x), .bytes(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.map(let x), .map(let y)): x == y
        case (.link(let x), .link(let y)): x == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .integer(let i): hasher.combine(i)
        case .float(let d): hasher.combine(d.bitPattern)
        case .string(let s): for b in s.utf8 { hasher.combine(b) }
        case .bytes(let b): hasher.combine(b)
        case .list(let l): hasher.combine(l)
        case .map(let m): hasher.combine(m)
        case .link(let c): hasher.combine(c)
        }
    }
}

extension IPLD: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(IPLDInteger(value)) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: IPLD...) { self = .list(elements) }
    /// A map literal; a repeated key is a programming error and traps, as with `Dictionary`.
    public init(dictionaryLiteral elements: (String, IPLD)...) {
        self = .map(IPLDMap(uniqueKeysWithValues: elements))
    }
}
