import EngramSync
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error for work that takes over a second (transfers,
/// `apply`, `car import`), only when standard error is a terminal (nothing when piped, so
/// scripts see clean output).
final class ProgressLine: Sendable {
    private let start = ProgressLine.now()
    private let shown = Atomic<Bool>(false)
    /// When the line was last drawn, in milliseconds since `start` (redrawn at most 10 times a second).
    private let drawnAt = Atomic<Int>(0)
    private let verb: String
    private let enabled = isatty(2) != 0

    init(_ verb: String) { self.verb = verb }

    /// The handler to pass to a sync call, or nil when standard error is not a terminal.
    var handler: ProgressHandler? {
        guard enabled else { return nil }
        return { [self] p in update(blocks: p.blocks, bytes: p.bytes) }
    }

    /// Redraws the line with `blocks` (or lines; nil: bytes only) and `bytes` done so far.
    func update(blocks: Int?, bytes: Int, unit: String = "blocks") {
        draw { elapsed in
            let mb = Double(bytes) / 1_000_000
            let rate = mb / max(elapsed, 0.001)
            return (blocks.map { "\($0) \(unit), " } ?? "") + "\(Self.tenths(mb)) MB (\(Self.tenths(rate)) MB/s)"
        }
    }

    /// Redraws the line with a count of `unit` done so far.
    func update(count: Int, unit: String) {
        draw { _ in "\(count) \(unit)" }
    }

    /// Draws `text(elapsed seconds)` once the work has taken over a second, at most 10 times a second.
    private func draw(_ text: (Double) -> String) {
        guard enabled else { return }
        let elapsed = ProgressLine.now() - start
        let ms = Int(elapsed * 1000)
        guard elapsed > 1.0, ms - drawnAt.load(ordering: .relaxed) >= 100 else { return }
        drawnAt.store(ms, ordering: .relaxed)
        shown.store(true, ordering: .relaxed)
        write("\r\(verb) " + text(elapsed) + "\u{1B}[K")
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
