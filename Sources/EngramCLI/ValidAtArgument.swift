import ArgumentParser
import Engram

/// Parses `--valid-at`: `now`, `any`, an integer (microseconds since the Unix epoch), or an ISO
/// 8601 UTC date-time `YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|±HH:MM]` (a date alone is midnight UTC).
enum ValidAtArgument {
    static func parse(_ text: String) throws -> ValidityTime {
        switch text {
        case "now": return .now
        case "any": return .any
        default: break
        }
        if let micros = Int64(text) { return .at(micros) }
        guard let t = iso8601(text) else {
            throw ValidationError("--valid-at takes now, any, microseconds or an ISO 8601 time, not '\(text)'")
        }
        return .at(t)
    }

    /// Microseconds since the epoch of an ISO 8601 time, or nil when it is not one.
    static func iso8601(_ text: String) -> Int64? {
        var s = Substring(text)
        func number(_ digits: Int) -> Int64? {
            guard s.count >= digits else { return nil }
            let part = s.prefix(digits)
            guard part.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(part) else { return nil }
            s = s.dropFirst(digits)
            return v
        }
        func take(_ c: Character) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day) else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, micros: Int64 = 0, offset: Int64 = 0
        if take("T") || take(" ") {
            guard let h = number(2), take(":"), let m = number(2), h < 24, m < 60 else { return nil }
            (hour, minute) = (h, m)
            if take(":") {
                guard let sec = number(2), sec < 60 else { return nil }
                second = sec
                if take(".") {
                    let digits = s.prefix { $0.isASCII && $0.isNumber }
                    guard (1...9).contains(digits.count), let f = Int64(digits.prefix(6)) else { return nil }
                    s = s.dropFirst(digits.count)
                    micros = f * [100_000, 10_000, 1000, 100, 10, 1][min(digits.count, 6) - 1]
                }
            }
            if !take("Z"), let first = s.first, first == "+" || first == "-" {
                let sign: Int64 = first == "+" ? 1 : -1
                s = s.dropFirst()
                guard let oh = number(2), take(":"), let om = number(2), oh < 24, om < 60 else { return nil }
                offset = sign * (oh * 60 + om) * 60
            }
        }
        guard s.isEmpty else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return seconds * 1_000_000 + micros
    }

    static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
