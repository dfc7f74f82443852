import ArgumentParser
import Engram
import EngramIPLD
import EngramStore

/// `engram fsck`: check every block and every ref's closure.
struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check every block's hash, every ref's closure and the pack indexes; exit 1 on any problem.",
        discussion: """
            With --repair, salvage a damaged store instead: every damaged file is kept under .engram/damaged/, every \
            verified block and commit record is kept, and each ref whose history is incomplete moves to its newest \
            commit whose closure is complete (the reflog says so). Exit 0 when the store was repaired or was not damaged.
            """)

    @Flag(help: "Print a machine-readable report (DAG-JSON).")
    var json = false

    @Flag(help: "Repair a damaged store (see above) and print what was kept aside and lost.")
    var repair = false

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        if repair { return try runRepair() }
        let store = try repository.openStore(readOnly: true)
        let line = ProgressLine("checking")
        let report: FsckReport
        do {
            defer { line.finish() }
            report = try store.fsck { line.update(count: $0, unit: "blocks") }
        }
        if json {
            var map = IPLDMap()
            map["blocks_checked"] = .int(report.blocksChecked)
            map["refs_checked"] = .int(report.refsChecked)
            map["packs_checked"] = .int(report.packsChecked)
            map["clean"] = .bool(report.isClean)
            map["problems"] = .list(report.problems.map { p in
                .map(IPLDMap(uniqueKeysWithValues: [("kind", .string(p.kind)), ("subject", .string(p.subject)), ("detail", .string(p.detail))]))
            })
            print(try DAGJSON.encodeString(.map(map)))
        } else {
            for p in report.problems { print("\(p.kind) \(p.subject): \(p.detail)") }
            print("checked \(report.blocksChecked) blocks, \(report.refsChecked) refs, \(report.packsChecked) packs: "
                  + (report.isClean ? "clean" : "\(report.problems.count) problems"))
        }
        if !report.isClean { throw ExitCode(1) }
    }
}

extension FsckCommand {
    func runRepair() throws {
        let options = RepairOptions(store: FileBlockStore.Options(durability: repository.durability.mode)) { cid, bytes in
            (try? Commit.decode(bytes, cid: cid))?.parents.first
        }
        let report: RepairReport
        do { report = try FileBlockStore.repair(at: repository.storeDirectory, options: options) } catch StoreError.notAStore {
            throw CLIError.notFound("not an Engram repository: \(repository.root) (no \(RepositoryOptions.storeDirectoryName))")
        }
        if json { print(try DAGJSON.encodeString(RepairSummary(report).ipld)) } else { print(RepairSummary(report).text) }
    }
}

/// `engram gc`: remove blocks no ref reaches.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove blocks unreachable from every ref and from reflog entries of the last 14 days.")

    @Flag(name: .customLong("dry-run"), help: "Report what would be freed without removing or writing anything (read-only: runs beside a writer).")
    var dryRun = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        // A dry run only reads: no lock, no compaction, no temporary files.
        let store = try repository.openStore(readOnly: dryRun)
        let line = ProgressLine("marking")
        var collector = GarbageCollector(store: store)
        collector.progress = { line.update(count: $0, unit: "reachable blocks") }
        let report: GarbageCollector.Report
        do {
            defer { line.finish() }
            report = try collector.run(dryRun: dryRun)
        }
        try store.close()
        if json {
            print(try DAGJSON.encodeString([
                "dry_run": .bool(dryRun), "blocks_before": .int(report.blocksBefore), "reachable": .int(report.reachable),
                "freed_blocks": .int(report.freedBlocks), "freed_bytes": .int(report.freedBytes),
                "stale_quarantine_files": .int(report.staleQuarantineFiles), "rescued": .int(report.rescued),
            ]))
            return
        }
        let verb = dryRun ? "would free" : "freed"
        print("\(verb) \(report.freedBlocks) blocks (\(report.freedBytes) bytes); \(report.reachable) reachable"
              + (report.staleQuarantineFiles > 0 ? "; \(verb) \(report.staleQuarantineFiles) stale quarantine file(s)" : ""))
    }
}

/// `engram stats`: sizes and counts.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the store's counts and sizes.")

    @Flag(help: "Print DAG-JSON.")
    var json = false

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let s = try repository.openStore(readOnly: true).stats()
        let fields: [(String, IPLD)] = [
            ("block_records", .int(s.blockRecords)), ("hash", .string(s.hashFunction)),
            ("index_bytes", .int(s.indexBytes)), ("journal_bytes", .int(s.journalBytes)),
            ("journal_segments", .int(s.journalSegments)), ("pack_bytes", .int(s.packBytes)),
            ("packs", .int(s.packs)), ("reflog_entries", .int(s.reflogEntries)), ("refs", .int(s.refs)),
        ]
        if json {
            print(try DAGJSON.encodeString(.map(IPLDMap(uniqueKeysWithValues: fields))))
        } else {
            for (k, v) in fields {
                switch v {
                case .string(let t): print("\(k): \(t)")
                default: print("\(k): \(try DAGJSON.encodeString(v))")
                }
            }
        }
    }
}
