/// The arithmetic of vector search: little-endian float32 loading and the SIMD inner loop.
enum VectorMath {
    /// Loads the little-endian float32 components in `bytes` into `dst` (as many as fit).
    static func load(_ bytes: ArraySlice<UInt8>, into dst: UnsafeMutableBufferPointer<Float>) {
        let n = Swift.min(dst.count, bytes.count / 4)
        bytes.withUnsafeBytes { raw in
            for i in 0..<n {
                dst[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
            }
        }
    }

    /// The dot product of `a` and `b` and the squared norm of `b`, over their common length,
    /// sixteen lanes at a time.
    static func dotAndNorm(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> (dot: Float, norm: Float) {
        let n = Swift.min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
        let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
        var dot = SIMD16<Float>(), norm = SIMD16<Float>()
        var i = 0
        while i &+ 16 <= n {
            let x = ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let y = rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            dot += x * y
            norm += y * y
            i &+= 16
        }
        var d = dot.sum(), q = norm.sum()
        while i < n {
            d += pa[i] * pb[i]
            q += pb[i] * pb[i]
            i &+= 1
        }
        return (d, q)
    }
}
