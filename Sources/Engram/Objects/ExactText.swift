/// Text compared, hashed and ordered as its UTF-8 bytes.
///
/// Swift's `String` `==`, `<` and `Hashable` follow Unicode canonical equivalence, so "\u{E9}"
/// (NFC) and "e\u{301}" (NFD) would be one label or one property name. Objects and index keys
/// store bytes, so they are two (SPEC 2, 4): everything in the graph layer that compares, hashes
/// or sorts labels, property names or text values goes through this type.
struct ExactText: Hashable, Comparable, Sendable, ExpressibleByStringLiteral {
    var string: String

    init(_ string: String) { self.string = string }

    init(stringLiteral value: String) { string = value }

    static func == (a: ExactText, b: ExactText) -> Bool { same(a.string, b.string) }

    /// Bytewise order (the order of text in index keys).
    static func < (a: ExactText, b: ExactText) -> Bool { precedes(a.string, b.string) }

    func hash(into hasher: inout Hasher) { Self.hash(string, into: &hasher) }

    /// Whether `a` and `b` are the same bytes.
    static func same(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }

    /// Whether `a` and `b` are both absent or the same bytes.
    static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): same(x, y)
        default: false
        }
    }

    /// Whether `a`'s bytes sort before `b`'s.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Feeds `s`'s bytes (and their count, so adjacent texts cannot run together) to `hasher`.
    static func hash(_ s: String, into hasher: inout Hasher) {
        var s = s
        s.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }

    /// Feeds an optional text to `hasher`.
    static func hash(_ s: String?, into hasher: inout Hasher) {
        hasher.combine(s != nil)
        if let s { hash(s, into: &hasher) }
    }
}
