#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Temporary directories for tests, all inside one directory per test process
/// (`$TMPDIR/engram-tests-<pid>`) that is removed when the process exits. A run that crashed
/// (a trap, a kill) cannot remove its own, so the first directory a later run makes removes
/// those of processes that are gone. Tests still remove their directories as they finish, so
/// a long run does not pile them up.
public enum TestDirectory {
    static let prefix = "engram-tests-"

    /// This process's directory, made on first use (after sweeping those of dead processes).
    public static let root: String = {
        let temp = NSTemporaryDirectory()
        sweepAbandoned(in: temp)
        let path = (temp.hasSuffix("/") ? temp : temp + "/") + prefix + String(getpid())
        _ = mkdir(path, 0o755)
        atexit { TestDirectory.removeRoot() }
        return path
    }()

    /// A new empty directory named `<name>-XXXXXX` inside ``root``.
    public static func make(_ name: String) -> String {
        var template = Array((root + "/" + name + "-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            fatalError("cannot make a test directory in \(root): errno \(errno)")
        }
        return String(cString: made)
    }

    /// A path inside ``root`` where nothing exists yet, for code that makes its directory itself.
    public static func path(_ name: String) -> String {
        root + "/" + name + "-" + UUID().uuidString
    }

    /// Removes a directory made here (or at a path given by ``path(_:)``) and what it holds.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func removeRoot() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Removes `engram-tests-<pid>` directories whose process no longer exists.
    static func sweepAbandoned(in temp: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temp) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (temp as NSString).appendingPathComponent(name))
            }
        }
    }
}
