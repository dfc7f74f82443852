#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD

extension FileBlockStore {
    /// Salvages a damaged store (`engram fsck --repair`, SPEC.md 4.9): keeps every damaged file
    /// aside in `damaged/`, keeps every verified block and every commit record that survives,
    /// moves each ref whose closure is incomplete to the newest commit whose closure is complete
    /// (the reflog says so), and reports what was lost.
    ///
    /// Holds the writer lock throughout. A store that opens and that `fsck` finds clean is left
    /// untouched (``RepairReport/damageFound`` is false). Afterwards the store opens and `fsck`
    /// is clean. Throws, changing nothing, when the store is not one this version may rewrite
    /// (`StoreError.unsupportedFormat(path:found:)`, a damaged `HEADER` or `MANIFEST`).
    public static func repair(at directory: String, options: RepairOptions = RepairOptions()) throws -> RepairReport {
        let sys = options.store.sys
        let headerPath = StoreFiles.header(directory)
        guard sys.exists(headerPath) else { throw StoreError.notAStore(path: directory) }
        let hash = try StoreFiles.decodeHeader(try readWholeFile(headerPath, sys: sys), path: headerPath)
        let lock = try takeWriterLock(directory, sys: sys)
        var report = RepairReport()
        let (findings, opens) = try damageSeen(directory, hash: hash, sys: sys)
        report.findings = findings
        guard !findings.isEmpty else { return report }
        report.damageFound = true

        var salvage = try StoreSalvage(directory: directory, sys: sys)
        // A store that does not open is rewritten even when no file looks damaged to the
        // salvage scan: the rewrite is consistent by construction.
        if !salvage.filesIntact || !opens {
            report.findings += salvage.findings
            report.missingFiles = salvage.missing
            report.recordsKept = salvage.recordsKept
            report.recordsDropped = salvage.recordsDropped
            report.bytesDropped = salvage.bytesDropped
            report.setAside = try salvage.install()
        }
        var storeOptions = options.store
        storeOptions.readOnly = false
        let store = try open(at: directory, hash: hash, options: storeOptions, writerLock: lock)
        var refs = RefRepair(store: store, firstParent: options.firstParent)
        try refs.run(into: &report)
        try store.close()
        return report
    }

    /// What an ordinary reader and `fsck` see wrong, one line each (empty: nothing), and whether
    /// the store opened. Errors that are not damage (a newer format, an unreadable directory)
    /// are thrown.
    private static func damageSeen(_ directory: String, hash: HashFunction, sys: SystemCalls) throws -> (findings: [String], opens: Bool) {
        var options = Options(readOnly: true)
        options.sys = sys
        // We hold the writer lock: nothing changes under this reader, so it need not retry.
        var loader = StoreLoader(directory: directory, sys: sys, writable: false)
        loader.retries = 0
        let store: FileBlockStore
        do {
            store = FileBlockStore(directory: directory, hash: hash, options: options, state: try loader.load(), writerLock: nil, markFile: nil)
        } catch let error as StoreError {
            switch error {
            // Without the advice to run the repair that is reading it.
            case .damaged(let path, let offset, let reason): return (["\(path) is damaged at byte \(offset): \(reason)"], false)
            case .corruptStore, .corruptBlock, .io(_, _, ENOENT): return (["\(error)"], false)
            default: throw error
            }
        }
        return (try store.fsck().problems.map { "\($0.kind) \($0.subject): \($0.detail)" }, true)
    }
}
