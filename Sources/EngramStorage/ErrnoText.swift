#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How errors name an `errno`: the system's text and the symbolic name, never a bare number.
public enum ErrnoText {
    /// `No space left on device (ENOSPC)`; `errno 1234` only for a code the system has no
    /// text and this table no name for.
    public static func describe(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) }
        switch (text, name(code)) {
        case (let t?, let n?): return "\(t) (\(n))"
        case (let t?, nil): return "\(t) (errno \(code))"
        case (nil, let n?): return n
        case (nil, nil): return "errno \(code)"
        }
    }

    /// The symbolic name of `code` (`ENOENT`), for the codes file and socket work meets.
    public static func name(_ code: Int32) -> String? {
        names.first { $0.0 == code }?.1
    }

    private static let names: [(Int32, String)] = [
        (EPERM, "EPERM"), (ENOENT, "ENOENT"), (EINTR, "EINTR"), (EIO, "EIO"), (ENXIO, "ENXIO"),
        (EBADF, "EBADF"), (EAGAIN, "EAGAIN"), (ENOMEM, "ENOMEM"), (EACCES, "EACCES"), (EFAULT, "EFAULT"),
        (EBUSY, "EBUSY"), (EEXIST, "EEXIST"), (EXDEV, "EXDEV"), (ENODEV, "ENODEV"), (ENOTDIR, "ENOTDIR"),
        (EISDIR, "EISDIR"), (EINVAL, "EINVAL"), (ENFILE, "ENFILE"), (EMFILE, "EMFILE"), (ETXTBSY, "ETXTBSY"),
        (EFBIG, "EFBIG"), (ENOSPC, "ENOSPC"), (ESPIPE, "ESPIPE"), (EROFS, "EROFS"), (EMLINK, "EMLINK"),
        (EPIPE, "EPIPE"), (ENAMETOOLONG, "ENAMETOOLONG"), (ENOLCK, "ENOLCK"), (ENOSYS, "ENOSYS"),
        (ENOTEMPTY, "ENOTEMPTY"), (ELOOP, "ELOOP"), (EDQUOT, "EDQUOT"), (ENOTSUP, "ENOTSUP"),
        (EADDRINUSE, "EADDRINUSE"), (EADDRNOTAVAIL, "EADDRNOTAVAIL"), (ENETUNREACH, "ENETUNREACH"),
        (ECONNABORTED, "ECONNABORTED"), (ECONNRESET, "ECONNRESET"), (ETIMEDOUT, "ETIMEDOUT"),
        (ECONNREFUSED, "ECONNREFUSED"), (EHOSTUNREACH, "EHOSTUNREACH"), (EOVERFLOW, "EOVERFLOW"),
    ]
}
