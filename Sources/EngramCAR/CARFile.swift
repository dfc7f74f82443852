#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor a CAR archive is read from or written to, with `EINTR` and short
/// transfers handled. Errors are ``CARError/io(operation:path:errno:)``.
public final class CARFile: CARByteSource {
    /// The descriptor.
    public let descriptor: Int32
    /// The path, for error messages.
    public let path: String
    private var closesDescriptor: Bool

    /// Wraps an open descriptor; `closeOnDeinit` hands its ownership over.
    public init(descriptor: Int32, path: String = "<fd>", closeOnDeinit: Bool = false) {
        self.descriptor = descriptor
        self.path = path
        self.closesDescriptor = closeOnDeinit
    }

    /// Opens `path` for reading.
    public static func open(reading path: String) throws(CARError) -> CARFile {
        let fd = path.withCString { sysOpen($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return CARFile(descriptor: fd, path: path, closeOnDeinit: true)
    }

    /// Creates (or truncates) `path` for writing, mode 0644.
    public static func create(writing path: String) throws(CARError) -> CARFile {
        let fd = path.withCString { sysOpen($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        return CARFile(descriptor: fd, path: path, closeOnDeinit: true)
    }

    deinit {
        if closesDescriptor { _ = sysClose(descriptor) }
    }

    /// Up to `max` bytes; empty at the end of the file.
    public func read(max: Int) throws -> [UInt8] {
        let count = Swift.max(0, max)
        var result: [UInt8] = []
        while true {
            var got = 0
            result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                got = sysRead(descriptor, buffer.baseAddress, count)
                initialized = Swift.max(got, 0)
            }
            if got >= 0 { return result }
            if errno != EINTR { throw CARError.io(operation: "read", path: path, errno: errno) }
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(CARError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { sysWrite(descriptor, $0.baseAddress.map { $0 + done }, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            done += n
        }
    }

    /// Flushes the file's data to stable storage.
    public func sync() throws(CARError) {
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Closes the descriptor now, reporting a failure (a deferred write error surfaces here).
    public func close() throws(CARError) {
        guard closesDescriptor else { return }
        closesDescriptor = false
        guard sysClose(descriptor) == 0 else { throw .io(operation: "close", path: path, errno: errno) }
    }
}

// The C functions, under names the methods above do not shadow.
private func sysOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
private func sysRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func sysWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
private func sysClose(_ fd: Int32) -> Int32 { close(fd) }
