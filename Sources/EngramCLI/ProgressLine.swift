import EngramSync
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error for transfers that take over a second, only
/// when standard error is a terminal (nothing when piped, so scripts see clean output).
final class ProgressLine: Sendable {
    private let start = ProgressLine.now()
    private let shown = Atomic<Bool>(false)
    private let verb: String

    init(_ verb: String) { self.verb = verb }

    /// The handler to pass to a sync call, or nil when standard error is not a terminal.
    var handler: ProgressHandler? {
        guard isatty(2) != 0 else { return nil }
        return { [self] p in
            guard ProgressLine.now() - start > 1.0 else { return }
            shown.store(true, ordering: .relaxed)
            let mb = Double(p.bytes) / 1_000_000
            let rate = mb / max(ProgressLine.now() - start, 0.001)
            write("\r\(verb) \(p.blocks) blocks, \(Self.tenths(mb)) MB (\(Self.tenths(rate)) MB/s)\u{1B}[K")
        }
    }

    /// Ends the line if one was drawn.
    func finish() {
        if shown.load(ordering: .relaxed) { write("\n") }
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    private static func tenths(_ x: Double) -> String {
        let t = Int((x * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
