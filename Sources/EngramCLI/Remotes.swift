import EngramHTTPRemote
import EngramStore
import EngramSync
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The remotes of a repository: `.engram/REMOTES`, one `name<TAB>url` line each, sorted,
/// rewritten whole through a temporary file and a rename.
struct Remotes {
    let file: String
    private(set) var entries: [(name: String, url: String)] = []

    init(repository: RepositoryOptions) throws {
        file = repository.storeDirectory + "/REMOTES"
        guard let text = try Self.read(file) else { return }
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { throw CLIError("\(file) line \(n + 1): expected 'name<TAB>url'") }
            entries.append((String(parts[0]), String(parts[1])))
        }
    }

    func url(of name: String) -> String? { entries.first { $0.name == name }?.url }

    mutating func add(_ name: String, url: String) throws {
        try Self.validate(name: name)
        guard !url.isEmpty, !url.contains("\n"), !url.contains("\t") else { throw CLIError("invalid remote URL '\(url)'") }
        guard self.url(of: name) == nil else { throw CLIError("remote '\(name)' already exists") }
        entries.append((name, url))
        entries.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        try save()
    }

    mutating func remove(_ name: String) throws {
        guard url(of: name) != nil else { throw CLIError.notFound("no remote '\(name)'") }
        entries.removeAll { $0.name == name }
        try save()
    }

    /// A remote name is one ref component (it becomes `refs/remotes/<name>/...`).
    static func validate(name: String) throws {
        guard (try? RefName.validate("refs/remotes/\(name)/x")) != nil, !name.contains("/") else {
            throw CLIError("invalid remote name '\(name)'")
        }
    }

    private func save() throws {
        let text = entries.map { "\($0.name)\t\($0.url)\n" }.joined()
        let tmp = file + ".tmp"
        guard let f = fopen(tmp, "w") else { throw CLIError("cannot write \(tmp): \(ErrnoText.describe(errno))") }
        let ok = fputs(text, f) >= 0
        let closed = fclose(f) == 0
        guard ok, closed, rename(tmp, file) == 0 else {
            unlink(tmp)
            throw CLIError("cannot write \(file): \(ErrnoText.describe(errno))")
        }
    }

    private static func read(_ path: String) throws -> String? {
        guard let f = fopen(path, "r") else {
            if errno == ENOENT { return nil }
            throw CLIError("cannot read \(path): \(ErrnoText.describe(errno))")
        }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n == 0 { break }
            out += buf[0..<n]
            if out.count > 1 << 20 { throw CLIError("\(path) is over 1 MiB") }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw CLIError("\(path) is not UTF-8") }
        return text
    }
}

/// Where a remote URL leads: a directory holding a repository, or (with the HTTP client
/// linked) an `http://` or `https://` server.
enum RemoteEndpoints {
    /// A directory remote as an absolute path (so it still leads there from another working
    /// directory); URLs and paths that do not exist are kept as given.
    static func canonical(_ url: String) -> String {
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return url }
        guard let resolved = realpath(url, nil) else { return url }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func endpoint(for url: String, token: String?) throws -> any SyncEndpoint {
        if url.hasPrefix("http://") || url.hasPrefix("https://") {
            return try makeHTTPEndpoint(url: url, token: token)
        }
        var root = RepositoryOptions()
        root.path = url
        var st = stat()
        if stat(root.storeDirectory, &st) == 0 { return DirectoryEndpoint(path: root.storeDirectory) }
        return DirectoryEndpoint(path: url)
    }
}
