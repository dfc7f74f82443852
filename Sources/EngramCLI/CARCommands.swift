import ArgumentParser
import Engram
import EngramCAR
import EngramIPLD
import EngramStore
import EngramSync
#if canImport(Glibc)
import Glibc
#endif

/// `engram car export|import`: CARv1 archives of commits or blocks.
struct CARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "car", abstract: "Export and import CARv1 archives.", subcommands: [Export.self, Import.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a CAR archive of a revision (or any block) with everything it reaches.",
            discussion: "With --since, blocks reached from those revisions are left out: a repository holding them can import the archive.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "A revision (branch, HEAD~n, commit CID) or a block's CID.") var revision: String
        @Option(name: .shortAndLong, help: ArgumentHelp("The archive file (default: standard output).", valueName: "file"))
        var output: String?
        @Option(help: ArgumentHelp("Leave out what this revision reaches (repeatable).", valueName: "rev")) var since: [String] = []

        func run() throws {
            let repository = try repo.openGraph(readOnly: true)
            let root = try Self.resolve(revision, in: repository)
            let bases = try since.map { try repository.resolve($0) }
            guard let output, output != "-" else {
                let written = try repository.exportCAR(roots: [root], since: bases) { try StandardIO.write($0) }
                StandardIO.note("exported \(written.blocks) blocks, \(written.bytes) bytes")
                return
            }
            // Written aside and renamed into place: a failed export leaves no half archive.
            let temporary = output + ".tmp"
            let file = try CARFile.create(writing: temporary)
            do {
                let written = try repository.exportCAR(roots: [root], since: bases) { try file.write($0) }
                try file.sync()
                try file.close()
                guard rename(temporary, output) == 0 else { throw CLIError("cannot rename \(temporary) to \(output): \(ErrnoText.describe(errno))") }
                StandardIO.note("exported \(written.blocks) blocks, \(written.bytes) bytes to \(output)")
            } catch {
                try? file.close()
                unlink(temporary)
                throw error
            }
        }

        static func resolve(_ text: String, in repository: Repository) throws -> CID {
            do { return try repository.resolve(text) } catch {
                if let cid = CID(text), try repository.store.has(cid) { return cid }
                throw error
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a CAR archive: verify every block, then publish them all (or nothing).",
            discussion: "The roots' closure must be complete (from the archive and the repository), and every block must be reachable from a root. With --ref, the ref moves to the first root (a commit) in the same step, as a fast-forward unless --force.")
        @OptionGroup var repo: RepositoryOptions
        @Argument(help: "The archive (- for standard input).") var file: String
        @Option(help: ArgumentHelp("Point this branch (or refs/... name) at the first root.", valueName: "name")) var ref: String?
        @Flag(help: "Move --ref even when the root does not descend from it.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let repository = try repo.openGraph()
            let refName = ref.map { $0.hasPrefix("refs/") || $0 == "HEAD" ? $0 : Repository.branchRef($0) }
            let source = file == "-" ? CARFile(descriptor: 0, path: "<stdin>") : try CARFile.open(reading: file)
            let progress = ProgressLine("importing")
            var reader = try CARReader(ProgressSource(base: source, progress: progress))
            let report: ImportReport
            do {
                defer { progress.finish() }
                report = try repository.importCAR(&reader, ref: refName, force: force)
            }
            if json {
                var fields: [(String, IPLD)] = [("roots", .list(report.roots.map { .string($0.description) })),
                                                ("blocks_read", .int(report.blocksRead)), ("blocks_added", .int(report.blocksAdded))]
                if let r = report.ref { fields.append(("ref", .map(["name": .string(r.ref), "new": .string(r.new)]))) }
                GraphArgs.printJSON(.map(IPLDMap(uniqueKeysWithValues: fields)))
            } else {
                print("imported \(report.blocksAdded) new blocks of \(report.blocksRead) (roots: "
                      + report.roots.map(\.description).joined(separator: ", ") + ")")
                if let r = report.ref { print("\(r.ref) -> \(r.new)") }
            }
        }
    }
}

/// A byte source that reports the bytes read so far on a progress line.
struct ProgressSource<Base: CARByteSource>: CARByteSource {
    var base: Base
    let progress: ProgressLine
    private var bytes = 0

    init(base: Base, progress: ProgressLine) {
        self.base = base
        self.progress = progress
    }

    mutating func read(max: Int) throws -> [UInt8] {
        let chunk = try base.read(max: max)
        bytes += chunk.count
        progress.update(blocks: nil, bytes: bytes)
        return chunk
    }
}
