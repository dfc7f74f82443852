#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking maintenance work (compaction, periodic syncs) on its own detached OS thread,
/// so it never occupies a thread of Swift's cooperative pool.
enum BackgroundThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func run(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        // Without a thread the work runs inline: slower for the caller, never skipped.
        if status != 0 { Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body() }
    }
}
