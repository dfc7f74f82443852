#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZstd
import Synchronization

/// zstd for stored blocks. Compression contexts are pooled and decompression contexts are kept
/// per thread, so that hot paths do not allocate one.
enum Zstd {
    /// A zstd context pointer that moves between threads only through the pool's lock.
    private struct Context: @unchecked Sendable { let pointer: OpaquePointer }

    private static let compressors = Mutex<[Context]>([])
    private static let poolLimit = 16
    /// Smaller inputs are never compressed: a frame's header alone eats the saving.
    static let minimumInput = 64

    /// Compresses `source`; returns nil when the result would not be at least a tenth smaller
    /// (the block is then stored raw).
    static func compressIfWorthwhile(_ source: UnsafeRawBufferPointer, level: Int32, into out: inout [UInt8]) -> Bool {
        let bound = ZSTD_compressBound(source.count)
        let limit = source.count - source.count / 10
        guard source.count >= minimumInput else { return false }
        let ctx = compressors.withLock { $0.popLast() } ?? newCompressor()
        defer { compressors.withLock { if $0.count < poolLimit { $0.append(ctx) } else { ZSTD_freeCCtx(ctx.pointer) } } }
        _ = ZSTD_CCtx_setParameter(ctx.pointer, ZSTD_c_compressionLevel, level)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBytes { dst in
            ZSTD_compress2(ctx.pointer, dst.baseAddress! + start, bound, source.baseAddress, source.count)
        }
        if ZSTD_isError(written) != 0 || written >= limit {
            out.removeSubrange(start...)
            return false
        }
        out.removeSubrange((start + written)...)
        return true
    }

    /// A compression context that stores literals raw: reads outnumber writes, and a small
    /// block's Huffman table costs more to rebuild on every read than it saves in space.
    private static func newCompressor() -> Context {
        let ctx = ZSTD_createCCtx()!
        _ = engram_zstd_store_literals_raw(ctx)
        return Context(pointer: ctx)
    }

    /// Each reading thread keeps its own decompression context (freed when the thread exits):
    /// concurrent `get`s then share no lock and no cache line on this path.
    private static let decompressorKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { context in
            if let context { ZSTD_freeDCtx(OpaquePointer(context)) }
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// This thread's context. Allocation failure traps, as any Swift allocation does.
    private static func threadDecompressor() -> OpaquePointer {
        if let context = pthread_getspecific(decompressorKey) { return OpaquePointer(context) }
        let context = ZSTD_createDCtx()!
        let status = pthread_setspecific(decompressorKey, UnsafeRawPointer(context))
        precondition(status == 0, "pthread_setspecific failed: \(status)")
        return context
    }

    /// Decompresses one frame that must expand to exactly `length` bytes; nil when it does not.
    static func decompress(_ source: UnsafeRawBufferPointer, length: Int) -> [UInt8]? {
        let ctx = threadDecompressor()
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            let n = ZSTD_decompressDCtx(ctx, buffer.baseAddress, length, source.baseAddress, source.count)
            ok = ZSTD_isError(n) == 0 && n == length
            count = ok ? length : 0
        }
        return ok ? out : nil
    }
}
