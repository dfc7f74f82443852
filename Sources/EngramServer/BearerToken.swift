import Foundation

/// Bearer tokens: taken from an `Authorization` header, compared without leaking where they
/// differ.
enum BearerToken {
    /// The token of an `Authorization: Bearer <token>` header value, or nil.
    static func fromHeader(_ value: String?) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Whether `given` is `expected`, in time that depends on the lengths only, not on where
    /// the bytes first differ (so a client cannot guess a token byte by byte).
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = a.count ^ b.count
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= Int(x ^ y)
        }
        return difference == 0
    }
}
