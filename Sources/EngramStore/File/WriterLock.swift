#if canImport(Glibc)
import Glibc
#endif

/// The one-writer rule: a writer holds an exclusive `flock` on the store directory itself and on
/// `LOCK` (which tells a refused writer the holder's pid) for as long as it is open (SPEC.md 4.1).
///
/// The directory's lock is the one that counts: `LOCK` can be deleted while a writer runs (by
/// hand, by a clean-up script), and a second writer would then create a new `LOCK` and lock it
/// unhindered; the directory cannot be replaced under a writer without taking the store with it.
struct WriterLock: Sendable {
    let directory: OpenFile
    let file: OpenFile

    /// Takes both locks, or throws `StoreError.locked(path:pid:)` naming the holder.
    static func acquire(_ storeDirectory: String, sys: SystemCalls) throws(StoreError) -> WriterLock {
        let directory = try OpenFile(path: storeDirectory, flags: O_RDONLY | O_DIRECTORY, sys: sys)
        let lockPath = StoreFiles.lock(storeDirectory)
        let file = try OpenFile(path: lockPath, flags: O_RDWR | O_CREAT, sys: sys)
        guard try sys.tryLockExclusive(directory.fd, path: storeDirectory), try sys.tryLockExclusive(file.fd, path: lockPath) else {
            sys.unlock(directory.fd)
            let text = String(decoding: (try? file.read(count: 32, at: 0)) ?? [], as: UTF8.self)
            throw .locked(path: storeDirectory, pid: Int32(text.split(separator: "\n").first ?? ""))
        }
        try file.truncate(0)
        try file.write(Array("\(getpid())\n".utf8), at: 0)
        return WriterLock(directory: directory, file: file)
    }

    func release(sys: SystemCalls) {
        sys.unlock(file.fd)
        sys.unlock(directory.fd)
    }
}
