#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor, closed when the last reference goes (so a reader that took a
/// segment from the state can finish its read while the writer retires that segment).
final class OpenFile: Sendable {
    let fd: Int32
    let path: String
    let sys: SystemCalls

    init(path: String, flags: Int32, sys: SystemCalls) throws(StoreError) {
        self.fd = try sys.open(path, flags)
        self.path = path
        self.sys = sys
    }

    deinit { _ = Glibc.close(fd) }

    func read(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(StoreError) -> Int {
        try sys.pread(fd, buffer, at: offset, path: path)
    }

    /// Reads `length` bytes at `offset`; fewer only at end of file.
    func read(count length: Int, at offset: Int) throws(StoreError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let result = out.withUnsafeMutableBytes { b in Result { () throws(StoreError) -> Int in try read(b, at: offset) } }
        let n = try result.get()
        if n < length { out.removeSubrange(n...) }
        return out
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(StoreError) {
        let result = bytes.withUnsafeBytes { b in Result { () throws(StoreError) in try sys.pwrite(fd, b, at: offset, path: path) } }
        try result.get()
    }

    func size() throws(StoreError) -> Int { try sys.size(fd, path: path) }
    func sync() throws(StoreError) { try sys.fsync(fd, path: path) }
    func dataSync() throws(StoreError) { try sys.fdatasync(fd, path: path) }
    func truncate(_ length: Int) throws(StoreError) { try sys.ftruncate(fd, length, path: path) }
}

/// A whole file mapped read-only, unmapped when the last reference goes. Only immutable files
/// (packs and their indexes) are mapped, so the bytes never change under a reader.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int
    let path: String

    init(path: String, sys: SystemCalls) throws(StoreError) {
        let file = try OpenFile(path: path, flags: O_RDONLY, sys: sys)
        count = try file.size()
        base = try sys.mapReadOnly(file.fd, length: count, path: path)
        self.path = path
    }

    deinit { if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) } }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// Writes a new file durably under its final name: write to `<path>.tmp`, fsync, rename, and
/// fsync the directory.
func writeFileAtomically(_ bytes: [UInt8], to path: String, directory: String, sys: SystemCalls) throws(StoreError) {
    let temp = path + ".tmp"
    let file = try OpenFile(path: temp, flags: O_WRONLY | O_CREAT | O_TRUNC, sys: sys)
    try file.write(bytes, at: 0)
    try file.sync()
    try sys.rename(temp, path)
    try sys.syncDirectory(directory)
}

/// Every byte of a file.
func readWholeFile(_ path: String, sys: SystemCalls) throws(StoreError) -> [UInt8] {
    let file = try OpenFile(path: path, flags: O_RDONLY, sys: sys)
    return try file.read(count: try file.size(), at: 0)
}
