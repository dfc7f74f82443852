import CZstd
import Synchronization

/// zstd compression for stored blocks, with pooled contexts so that hot paths do not allocate one.
enum Zstd {
    /// A zstd context pointer that moves between threads only through the pool's lock.
    private struct Context: @unchecked Sendable { let pointer: OpaquePointer }

    private static let compressors = Mutex<[Context]>([])
    private static let decompressors = Mutex<[Context]>([])
    private static let poolLimit = 16

    /// Compresses `source`; returns nil when the result would not be at least a tenth smaller
    /// (the block is then stored raw).
    static func compressIfWorthwhile(_ source: UnsafeRawBufferPointer, level: Int32, into out: inout [UInt8]) -> Bool {
        let bound = ZSTD_compressBound(source.count)
        let limit = source.count - source.count / 10
        guard source.count >= 64 else { return false }
        let ctx = compressors.withLock { $0.popLast() } ?? Context(pointer: ZSTD_createCCtx())
        defer { compressors.withLock { if $0.count < poolLimit { $0.append(ctx) } else { ZSTD_freeCCtx(ctx.pointer) } } }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBytes { dst in
            ZSTD_compressCCtx(ctx.pointer, dst.baseAddress! + start, bound, source.baseAddress, source.count, level)
        }
        if ZSTD_isError(written) != 0 || written >= limit {
            out.removeSubrange(start...)
            return false
        }
        out.removeSubrange((start + written)...)
        return true
    }

    /// Decompresses one frame that must expand to exactly `length` bytes; nil when it does not.
    static func decompress(_ source: UnsafeRawBufferPointer, length: Int) -> [UInt8]? {
        let ctx = decompressors.withLock { $0.popLast() } ?? Context(pointer: ZSTD_createDCtx())
        defer { decompressors.withLock { if $0.count < poolLimit { $0.append(ctx) } else { ZSTD_freeDCtx(ctx.pointer) } } }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            let n = ZSTD_decompressDCtx(ctx.pointer, buffer.baseAddress, length, source.baseAddress, source.count)
            ok = ZSTD_isError(n) == 0 && n == length
            count = ok ? length : 0
        }
        return ok ? out : nil
    }
}
