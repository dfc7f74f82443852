import Foundation

/// Bearer tokens: read from a token file, taken from an `Authorization` header, compared
/// without leaking where they differ.
public enum BearerToken {
    /// The token in `path`: its first line, trimmed of surrounding whitespace.
    public static func read(file path: String) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TokenFileError(path: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let token = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenFileError(path: path, reason: "its first line is empty") }
        return token
    }

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

/// A token file that cannot be used.
public struct TokenFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "token file \(path): \(reason)" }
}
