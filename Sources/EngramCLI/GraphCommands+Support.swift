#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Engram
import EngramIPLD
import EngramStore

extension RepositoryOptions {
    /// Opens the repository as a graph (read-only for reading commands, so they run beside a
    /// writer), with a small node cache: a command is short-lived.
    func openGraph(readOnly: Bool = false) throws -> Repository {
        let options = try storeOptions(readOnly: readOnly)
        let store: FileBlockStore
        do { store = try FileBlockStore.open(at: storeDirectory, options: options) } catch StoreError.notAStore {
            throw CLIError.notFound("not an Engram repository: \(root) (no \(Self.storeDirectoryName); run `engram init`)")
        }
        return try Repository(store: store, cacheCapacity: 2048)
    }

    /// The staged-changes file.
    var stagedFile: String { storeDirectory + "/STAGED" }
}

/// Who and when, for commands that commit.
struct CommitOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The commit message.")
    var message: String?

    @Option(help: "The author (default: $ENGRAM_AUTHOR, $USER or 'engram').")
    var author: String?

    @Option(help: "The agent making the commit, if any.")
    var agent: String?

    @Option(help: "The commit time in microseconds since the epoch (default: now).")
    var time: Int64?

    func info(defaultMessage: String) -> CommitInfo {
        let env = { (name: String) -> String? in getenv(name).flatMap { String(validatingCString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        return CommitInfo(author: author ?? env("ENGRAM_AUTHOR") ?? env("USER") ?? "engram", message: message ?? defaultMessage,
                          agent: agent, time: time)
    }
}

/// Command-line forms of graph values.
enum GraphArgs {
    /// An id argument.
    static func id(_ text: String) throws -> EntityID {
        guard let id = EntityID(text) else { throw ValidationError("'\(text)' is not a UUID") }
        return id
    }

    /// A property argument: `k=v` sets `k` to the text `v`, always; `k:=v` sets it to the
    /// JSON value `v` (a number, true/false, null, a list or a map; text in quotes), and broken
    /// JSON is refused naming the property. Nothing is guessed: `n=1` is the text "1".
    static func property(_ text: String) throws -> (String, IPLD) {
        guard let eq = text.firstIndex(of: "=") else { throw ValidationError("'\(text)' is not key=text or key:=JSON") }
        let key = text[..<eq], raw = String(text[text.index(after: eq)...])
        guard key.hasSuffix(":") else { return (String(key), .string(raw)) }
        let name = String(key.dropLast())
        do { return (name, try DAGJSON.decode(raw)) } catch {
            throw ValidationError("property '\(name)': '\(raw)' is not a JSON value (\(error)); use \(name)=<text> for text")
        }
    }

    /// A range bound: a JSON value when it parses as one (so numbers are numbers), else text.
    static func bound(_ text: String) -> IPLD {
        (try? DAGJSON.decode(text)) ?? .string(text)
    }

    /// Properties from `--props JSON` then each `--prop k=v` / `k:=JSON`.
    static func properties(json: String?, pairs: [String]) throws -> IPLDMap {
        var props = IPLDMap()
        if let json {
            guard let m = (try? DAGJSON.decode(json))?.mapValue else { throw ValidationError("--props is not a JSON object") }
            props = m
        }
        for p in pairs {
            let (k, v) = try property(p)
            props[k] = v
        }
        return props
    }

    static let propHelp = ArgumentHelp("A property: key=text (always text) or key:=JSON (a number, true, false, null, a list or a map); repeatable.",
                                       valueName: "key=text|key:=json")

    /// Prints a JSON value on one line.
    static func printJSON(_ value: IPLD) {
        print(GraphJSON.text(value))
    }
}

/// The staged-changes file: `.engram/STAGED` in the repository, JSON lines. The first line is
/// `{"base": CID|null, "branch": NAME|null}`, each further line one change (``ChangeOp``).
struct StagedChanges {
    let path: String
    var base: CID?
    var branch: String?
    var ops: [ChangeOp] = []

    /// The staged changes in `path`, or an empty stage over the current head.
    static func load(_ repo: Repository, at path: String) throws -> StagedChanges {
        guard let bytes = try? readFile(path) else {
            return StagedChanges(path: path, base: try repo.head(), branch: try repo.currentBranch())
        }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return StagedChanges(path: path, base: try repo.head(), branch: try repo.currentBranch()) }
        let header = try DAGJSON.decode(Array(lines.removeFirst()))
        var staged = StagedChanges(path: path, base: header["base"]?.stringValue.flatMap { CID($0) },
                                   branch: header["branch"]?.stringValue)
        for (i, line) in lines.enumerated() { staged.ops.append(try ChangeOp.parse(Array(line), line: i + 2)) }
        return staged
    }

    /// The stage as a transaction over its base.
    func transaction(_ repo: Repository) throws -> Transaction {
        var tx = Transaction(base: try repo.snapshot(base), branch: branch)
        for op in ops {
            switch op {
            case .putNode(let n): tx.putNode(n)
            case .deleteNode(let id): try tx.removeNode(id)
            case .putEdge(let e): tx.putEdge(e)
            case .deleteEdge(let id): try tx.removeEdge(id)
            }
        }
        return tx
    }

    /// Checks the staged state as a commit would before it is saved (``Transaction/validate()``:
    /// edges end at existing nodes, property links name stored blocks).
    func check(_ repo: Repository) throws {
        try transaction(repo).validate()
    }

    func save() throws {
        var header = IPLDMap()
        header["base"] = base.map { .string($0.description) } ?? .null
        header["branch"] = branch.map { .string($0) } ?? .null
        var text = GraphJSON.text(.map(header)) + "\n"
        for op in ops { text += op.line + "\n" }
        try writeFile(path, Array(text.utf8))
    }

    func clear() { unlink(path) }
}

func readFile(_ path: String) throws -> [UInt8] {
    let fd = Glibc.open(path, O_RDONLY)
    guard fd >= 0 else { throw CLIError("cannot open \(path): \(ErrnoText.describe(errno))") }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n == 0 { return out }
        if n < 0 {
            if errno == EINTR { continue }
            throw CLIError("cannot read \(path): \(ErrnoText.describe(errno))")
        }
        out.append(contentsOf: chunk[0..<n])
    }
}

/// Writes `bytes` to a temporary file and renames it over `path`; on failure the temporary file
/// is removed and `path` is left as it was.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let tmp = path + ".tmp"
    let fd = Glibc.open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CLIError("cannot create \(tmp): \(ErrnoText.describe(errno))") }
    func fail(_ what: String, _ code: Int32 = errno) -> CLIError {
        unlink(tmp)
        return CLIError("cannot \(what) \(tmp): \(ErrnoText.describe(code))")
    }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            throw fail("write", code)
        }
        offset += n
    }
    guard close(fd) == 0 else { throw fail("close") }
    guard rename(tmp, path) == 0 else { throw fail("rename") }
}

