import EngramIPLD
import EngramStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where quarantines spill: the backend's scratch directory, kept across restarts so a cut
/// fetch resumes. A backend without one (the memory store) keeps its quarantine in memory.
enum QuarantineFiles {
    /// The spill file named `name` for a repository over `store`, its directory made if
    /// needed; nil when the store has no scratch directory.
    static func path(for store: any BlockStore, name: String) throws(SyncError) -> String? {
        guard let dir = (store as? any StorageBackend)?.scratchDirectory else { return nil }
        if mkdir(dir, 0o700) != 0, errno != EEXIST {
            throw .repository(.store(.io(operation: "mkdir", path: dir, errno: errno)))
        }
        return dir + "/" + name
    }

    /// The file a fetch of `wants` spills to: the same wants find it again after a cut.
    static func fetchName(wants: [CID]) -> String {
        let key = wants.map(\.description).sorted().joined(separator: ",")
        return "fetch-" + Hex.encode(Block(bytes: Array(key.utf8), codec: .raw).cid.multihash.digest.bytes.prefix(12)) + ".car"
    }

    /// A fresh name for a push being received (pushes do not resume).
    static func pushName() -> String {
        "push-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).car"
    }
}
