#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Engram
import EngramIPLD
import EngramStore

/// `engram status`: the staged changes.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the branch and the staged changes.")
    @OptionGroup var repo: RepositoryOptions
    @Flag(help: "Print the staged changes as JSON lines.") var json = false

    func run() throws {
        let repository = try repo.openGraph(readOnly: true)
        let staged = try StagedChanges.load(repository, at: repo.stagedFile)
        if json {
            for op in staged.ops { print(op.line) }
            return
        }
        let where_ = try repository.currentBranch().map { "on branch \($0)" } ?? "HEAD detached at \(try repository.head()?.description ?? "nothing")"
        print(where_)
        if staged.ops.isEmpty { print("nothing staged") }
        for op in staged.ops {
            switch op {
            case .putNode(let n): print("put-node \(n.id) \(n.label)")
            case .deleteNode(let id): print("delete-node \(id)")
            case .putEdge(let e): print("put-edge \(e.id) \(e.src) \(e.label) \(e.dst)")
            case .deleteEdge(let id): print("delete-edge \(id)")
            }
        }
    }
}

/// `engram commit`: commit the staged changes.
struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit", abstract: "Commit the staged changes and print the commit CID.")
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var commit: CommitOptions
    @Flag(name: .customLong("allow-empty"), help: "Commit even when nothing is staged (the new commit has its parent's graph).")
    var allowEmpty = false
    @Flag(help: "Print JSON: {\"commit\": CID}.") var json = false

    func run() throws {
        let repository = try repo.openGraph()
        let staged = try StagedChanges.load(repository, at: repo.stagedFile)
        // As git: an empty commit is almost always a mistake (a staging command that failed).
        guard allowEmpty || !staged.ops.isEmpty else {
            throw CLIError("nothing staged: stage changes with `engram node` or `engram edge` first (or pass --allow-empty)")
        }
        let cid = try repository.commit(try staged.transaction(repository), commit.info(defaultMessage: "commit"))
        staged.clear()
        if json { GraphArgs.printJSON(["commit": .string(cid.description)]) } else { print(cid) }
    }
}

/// `engram apply`: JSON lines of changes committed as one commit.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Commit a stream of JSON-lines changes (put-node, delete-node, put-edge, delete-edge) as one commit.")
    @OptionGroup var repo: RepositoryOptions
    @OptionGroup var commit: CommitOptions
    @Argument(help: "The file of changes; '-' or nothing for standard input.") var file: String?
    @Flag(help: "Print JSON: {\"commit\": CID, \"lines\": N}.") var json = false

    func run() throws {
        // The whole stream is one write session: its blocks and the ref update are one store
        // commit, so strict durability costs one sync.
        let repository = try repo.openGraph()
        let fd: Int32 = (file == nil || file == "-") ? 0 : Glibc.open(file!, O_RDONLY)
        guard fd >= 0 else { throw CLIError("cannot open \(file!): \(ErrnoText.describe(errno))") }
        defer { if fd != 0 { close(fd) } }
        var reader = LineReader(fd: fd)
        var number = 0, bytes = 0
        let progress = ProgressLine("applying")
        defer { progress.finish() }
        let cid = try repository.commitStream(commit.info(defaultMessage: "apply")) { () throws(GraphError) -> ChangeOp? in
            do {
                while let line = try reader.next() {
                    number += 1
                    bytes += line.count + 1
                    if number % 1024 == 0 { progress.update(blocks: number, bytes: bytes, unit: "lines") }
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x0d || $0 == 0x09 }) { continue }
                    return try ChangeOp.parse(line, line: number)
                }
                return nil
            } catch let e as GraphError { throw e } catch {
                throw .invalidChange(line: number, reason: "\(error)")
            }
        }
        if json { GraphArgs.printJSON(["commit": .string(cid.description), "lines": .int(number)]) } else { print(cid) }
    }
}

/// Lines of a file descriptor, read in 1 MiB chunks (so a large stream is never whole in memory).
struct LineReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var start = 0
    var eof = false

    init(fd: Int32) { self.fd = fd }

    /// The next line without its newline, or nil at the end.
    mutating func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeSubrange(0..<start)
            start = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot read input: \(ErrnoText.describe(errno))")
            }
            if n == 0 { eof = true } else { buffer += chunk[0..<n] }
        }
    }
}
