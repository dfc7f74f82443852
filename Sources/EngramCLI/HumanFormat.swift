#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engram
import EngramIPLD

/// How human (not `--json`) output looks: local ISO 8601 dates, short CIDs, colour only on a
/// terminal, and text with control characters made visible.
enum HumanFormat {
    /// Colour on standard output: only when it is a terminal, `NO_COLOR` is unset or empty
    /// (https://no-color.org) and `TERM` is not `dumb`.
    static let colourEnabled: Bool = {
        guard isatty(1) != 0 else { return false }
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return true
    }()

    enum Colour: String {
        case yellow = "33", green = "32", red = "31", cyan = "36", bold = "1"
    }

    /// `text` in `colour` when colour is enabled.
    static func paint(_ text: String, _ colour: Colour) -> String {
        colourEnabled ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Microseconds since the epoch as ISO 8601 in local time with its UTC offset, e.g.
    /// `2026-12-01T04:15:50+01:00`; the raw number when it is outside what the C library dates.
    static func date(microseconds: Int64) -> String {
        // Floor division, so times before 1970 round down to their second.
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : -((-(microseconds + 1)) / 1_000_000) - 1
        guard seconds > -50_000_000_000, seconds < 250_000_000_000 else { return "\(microseconds)µs" }
        var t = time_t(seconds)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return "\(microseconds)µs" }
        let offset = Int(parts.tm_gmtoff)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(Int(parts.tm_year) + 1900)-\(two(Int(parts.tm_mon) + 1))-\(two(Int(parts.tm_mday)))T"
            + "\(two(Int(parts.tm_hour))):\(two(Int(parts.tm_min))):\(two(Int(parts.tm_sec)))\(sign)\(two(minutes / 60)):\(two(minutes % 60))"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `text` safe to print on a terminal: control characters other than newline and tab
    /// (escape sequences, NUL, carriage return) shown as `\u{XX}`.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x0A && v != 0x09) || (v >= 0x7F && v < 0xA0) {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The lines of a commit message, control characters made visible.
    static func messageLines(_ message: String) -> [String] {
        // By scalars: "\r\n" is one Character, so a Character split would miss it.
        var out = message.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            visible(String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line)))
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.isEmpty ? [""] : out
    }
}

/// Short CIDs for one command's human output: every CID cut to one length, at least 12
/// characters, at which the repository's known commits all differ (SPEC.md 7.8).
struct ShortCIDs {
    let length: Int

    init(_ repository: Repository) throws {
        length = try repository.shortCIDLength(minimum: 12)
    }

    init(full: Bool, _ repository: Repository) throws {
        length = full ? .max : try repository.shortCIDLength(minimum: 12)
    }

    func callAsFunction(_ cid: CID) -> String { String(cid.description.prefix(length)) }
}
