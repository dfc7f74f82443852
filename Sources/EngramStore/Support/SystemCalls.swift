#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The one door through which the file store reaches the operating system.
///
/// Every system call the store makes goes through here, so tests can make any of them fail
/// (`FaultPlan`) and every failure becomes `StoreError.io(operation:path:errno:)` naming the
/// call and the file.
final class SystemCalls: Sendable {
    /// The kinds of call a fault can be planned for.
    enum Operation: String, Sendable, CaseIterable {
        case open, close, read, write, fsync, fdatasync, rename, link, truncate, flock, mkdir, unlink, list, stat, mmap
    }

    /// What a planned fault does.
    enum Fault: Sendable, Hashable {
        /// The call fails with this errno.
        case error(Int32)
        /// A write stores only this many bytes, then fails with ENOSPC (as a full disk does).
        case shortWrite(Int)
    }

    private let plan: Mutex<FaultPlan>
    private let faulty: Bool

    /// The live system, without faults.
    static let live = SystemCalls(plan: nil)

    init(plan: FaultPlan?) {
        self.plan = Mutex(plan ?? FaultPlan())
        self.faulty = plan != nil
    }

    /// How many calls of each kind were made (only counted when a fault plan is installed).
    var counts: [Operation: Int] { plan.withLock { $0.counts } }
    /// The file each call was made on, in order, per kind of call (when a fault plan is installed).
    var paths: [Operation: [String]] { plan.withLock { $0.paths } }

    /// Replaces the planned faults (and resets the counts).
    func replan(_ rules: [FaultPlan.Rule]) { plan.withLock { $0 = FaultPlan(rules) } }

    @inline(__always)
    private func fault(_ op: Operation, _ path: String) -> Fault? {
        guard faulty else { return nil }
        return plan.withLock { $0.next(op, path: path) }
    }

    /// `errno N (message)`, for error descriptions.
    static func describe(errno code: Int32) -> String { ErrnoText.describe(code) }

    private func fail(_ op: Operation, _ path: String, _ code: Int32 = errno) -> StoreError {
        .io(operation: op.rawValue, path: path, errno: code)
    }

    func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws(StoreError) -> Int32 {
        if case .error(let e)? = fault(.open, path) { throw fail(.open, path, e) }
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw fail(.open, path)
        }
    }

    func close(_ fd: Int32, path: String) throws(StoreError) {
        if case .error(let e)? = fault(.close, path) { _ = Glibc.close(fd); throw fail(.close, path, e) }
        if Glibc.close(fd) != 0 && errno != EINTR { throw fail(.close, path) }
    }

    /// Reads exactly `buffer.count` bytes at `offset`; returns fewer only at end of file.
    func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(StoreError) -> Int {
        if case .error(let e)? = fault(.read, path) { throw fail(.read, path, e) }
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.read, path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `bytes` at `offset`, or throws (a planned short write stores a prefix first).
    func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(StoreError) {
        var limit = bytes.count
        var injected: Int32? = nil
        switch fault(.write, path) {
        case .error(let e)?: throw fail(.write, path, e)
        case .shortWrite(let n)?: limit = min(n, bytes.count); injected = ENOSPC
        case nil: break
        }
        var done = 0
        while done < limit {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, limit - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.write, path)
            }
            done += n
        }
        if let injected { throw fail(.write, path, injected) }
    }

    func fsync(_ fd: Int32, path: String) throws(StoreError) {
        if case .error(let e)? = fault(.fsync, path) { throw fail(.fsync, path, e) }
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw fail(.fsync, path) }
        }
    }

    func fdatasync(_ fd: Int32, path: String) throws(StoreError) {
        if case .error(let e)? = fault(.fdatasync, path) { throw fail(.fdatasync, path, e) }
        while Glibc.fdatasync(fd) != 0 {
            if errno != EINTR { throw fail(.fdatasync, path) }
        }
    }

    func rename(_ from: String, _ to: String) throws(StoreError) {
        if case .error(let e)? = fault(.rename, to) { throw fail(.rename, to, e) }
        if Glibc.rename(from, to) != 0 { throw fail(.rename, to) }
    }

    /// Gives the file at `from` a second name `to` (which must not exist).
    func link(_ from: String, _ to: String) throws(StoreError) {
        if case .error(let e)? = fault(.link, to) { throw fail(.link, to, e) }
        if Glibc.link(from, to) != 0 { throw fail(.link, to) }
    }

    func ftruncate(_ fd: Int32, _ length: Int, path: String) throws(StoreError) {
        if case .error(let e)? = fault(.truncate, path) { throw fail(.truncate, path, e) }
        while Glibc.ftruncate(fd, off_t(length)) != 0 {
            if errno != EINTR { throw fail(.truncate, path) }
        }
    }

    /// Takes an exclusive, non-blocking lock; returns false when another process holds it.
    func tryLockExclusive(_ fd: Int32, path: String) throws(StoreError) -> Bool {
        if case .error(let e)? = fault(.flock, path) { throw fail(.flock, path, e) }
        while systemFlock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw fail(.flock, path) }
        }
        return true
    }

    /// Releases a lock taken with ``tryLockExclusive(_:path:)``.
    func unlock(_ fd: Int32) {
        _ = systemFlock(fd, LOCK_UN)
    }

    /// Creates a directory; an existing one is fine.
    func mkdir(_ path: String) throws(StoreError) {
        if case .error(let e)? = fault(.mkdir, path) { throw fail(.mkdir, path, e) }
        if Glibc.mkdir(path, 0o755) != 0 && errno != EEXIST { throw fail(.mkdir, path) }
    }

    /// Removes a file; a missing one is fine.
    func unlink(_ path: String) throws(StoreError) {
        if case .error(let e)? = fault(.unlink, path) { throw fail(.unlink, path, e) }
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw fail(.unlink, path) }
    }

    /// The names in a directory, without `.` and `..`.
    func list(_ path: String) throws(StoreError) -> [String] {
        if case .error(let e)? = fault(.list, path) { throw fail(.list, path, e) }
        guard let dir = opendir(path) else { throw fail(.list, path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The size of an open file.
    func size(_ fd: Int32, path: String) throws(StoreError) -> Int {
        if case .error(let e)? = fault(.stat, path) { throw fail(.stat, path, e) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw fail(.stat, path) }
        return Int(info.st_size)
    }

    /// When a file was last modified, in microseconds since the Unix epoch.
    func modificationTime(_ path: String) throws(StoreError) -> Int64 {
        if case .error(let e)? = fault(.stat, path) { throw fail(.stat, path, e) }
        var info = stat()
        if stat(path, &info) != 0 { throw fail(.stat, path) }
        return Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1000
    }

    /// Whether a path exists.
    func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Maps a whole file read-only.
    func mapReadOnly(_ fd: Int32, length: Int, path: String) throws(StoreError) -> UnsafeRawPointer? {
        if case .error(let e)? = fault(.mmap, path) { throw fail(.mmap, path, e) }
        if length == 0 { return nil }
        let p = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
        guard let p, p != MAP_FAILED else { throw fail(.mmap, path) }
        return UnsafeRawPointer(p)
    }

    /// Fsyncs a directory, so that the names created or renamed in it are durable.
    func syncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { _ = Glibc.close(fd) }
        try fsync(fd, path: path)
    }
}

/// Planned failures: "the Nth call of this kind fails this way".
struct FaultPlan: Sendable {
    struct Rule: Sendable, Hashable {
        var operation: SystemCalls.Operation
        var nth: Int
        var fault: SystemCalls.Fault
    }

    var rules: [Rule]
    var counts: [SystemCalls.Operation: Int] = [:]
    var paths: [SystemCalls.Operation: [String]] = [:]

    init(_ rules: [Rule] = []) { self.rules = rules }

    mutating func next(_ op: SystemCalls.Operation, path: String) -> SystemCalls.Fault? {
        let n = counts[op, default: 0] + 1
        counts[op] = n
        paths[op, default: []].append(path)
        return rules.first { $0.operation == op && $0.nth == n }?.fault
    }
}

/// The C `flock` function (its name is shadowed by the `struct flock` type in Swift).
private let systemFlock: @convention(c) (Int32, Int32) -> Int32 = flock
