#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFuzzerDriver

/// The fuzzer's input as an array (the decoders under test take arrays or buffers of them).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run as a finding when an oracle fails: libFuzzer records the input that did it.
/// (A trap would too, but this names the broken property.)
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    guard !condition() else { return }
    fputs("fuzz oracle failed at \(file):\(line): \(message())\n", stderr)
    abort()
}

/// Reads the fuzzer's bytes as a small structured input: fields first, the rest as payload.
/// Every read past the end yields zeros, so any input is a valid description.
public struct FuzzReader {
    public let bytes: [UInt8]
    @usableFromInline var offset = 0

    @inlinable public init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inlinable public var remaining: Int { max(0, bytes.count - offset) }

    @inlinable public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A little-endian integer of `T`'s width.
    @inlinable public mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: byte()) << (8 * i) }
        return value
    }

    /// Up to `count` bytes (fewer at the end).
    @inlinable public mutating func take(_ count: Int) -> [UInt8] {
        let n = min(count, remaining)
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    /// Everything left.
    @inlinable public mutating func rest() -> [UInt8] { take(remaining) }
}

/// Writes seed inputs to the directory named by `FUZZ_SEED_DIR`, when set: `run.sh` asks each
/// harness for seeds built by the project's own encoders before fuzzing.
public enum FuzzSeeds {
    public static var directory: String? { getenv("FUZZ_SEED_DIR").map { String(cString: $0) } }

    public static func write(_ name: String, _ bytes: [UInt8]) {
        guard let directory else { return }
        let path = directory + "/" + name
        guard let file = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
}

/// Runs libFuzzer with `callback` as the harness: what each harness's entry point calls.
/// (libFuzzer also finds the harness's `LLVMFuzzerInitialize`, when defined, by name.)
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// The operations named in `FUZZ_SKIP` (comma-separated): a harness leaves them out, so a long
/// run can go on past a known trap in one of them while its fix is pending.
public let fuzzSkipped: Set<String> = Set(
    (getenv("FUZZ_SKIP").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
