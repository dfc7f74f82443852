#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How errors name an `errno`: the number and the system's text for it.
public enum ErrnoText {
    /// `errno 28 (No space left on device)`.
    public static func describe(_ code: Int32) -> String {
        "errno \(code)" + (strerror(code).map { " (" + String(cString: $0) + ")" } ?? "")
    }
}
