#if canImport(Glibc)
import Glibc
#endif

/// A cheap token that changes whenever a writer commits to a store directory.
///
/// Every commit appends to a journal segment, and compaction rewrites `MANIFEST`: the names and
/// sizes of the journal's files and the manifest's size and time change with each. Reading them
/// is a directory listing and a few `stat` calls, far cheaper than ``FileBlockStore/refresh()``,
/// so a long-lived reader (a server watching for other processes' commits) polls this and
/// refreshes only when it changed. Equal stamps mean no commit happened in between; a stamp that
/// changed may still mean nothing new (a compaction), which only costs a refresh.
public struct StoreChangeStamp: Sendable, Hashable {
    let files: [String: Int64]

    /// The stamp of the store in `directory` now (files that cannot be read count as absent).
    public init(directory: String) {
        var files: [String: Int64] = [:]
        let sys = SystemCalls.live
        for name in (try? sys.list(StoreFiles.journalDirectory(directory))) ?? [] {
            files["journal/" + name] = Self.size(StoreFiles.journalDirectory(directory) + "/" + name)
        }
        let manifest = StoreFiles.manifest(directory)
        files["MANIFEST"] = Self.size(manifest)
        files["MANIFEST@"] = try? sys.modificationTime(manifest)
        self.files = files
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}
