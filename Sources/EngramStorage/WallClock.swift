#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one wall clock stores read: reflog times and retention windows, in microseconds since
/// the Unix epoch.
public enum WallClock {
    /// The time now, in microseconds since the Unix epoch (`CLOCK_REALTIME`).
    public static func microseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
