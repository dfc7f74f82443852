import Engram
import EngramStore
import EngramSync
import Foundation
import Synchronization

/// The repositories a server serves: one endpoint, or every repository under a root
/// directory (each subdirectory holding `.engram/`, named by its directory name), opened on
/// first use and kept open.
final class ServedRepositories: Sendable {
    enum Source: Sendable {
        case single(any SyncEndpoint)
        case root(path: String, options: FileBlockStore.Options, limits: SyncLimits)
    }

    let source: Source
    private let opened = Mutex<[String: RepositoryEndpoint]>([:])

    init(_ source: Source) { self.source = source }

    /// Whether repositories are named in the path (`/<repo>/v1/...`).
    var isMultiple: Bool { if case .root = source { true } else { false } }

    /// The endpoint for `name`, a percent-encoded path segment (nil: the path named none).
    func endpoint(named name: String?) throws(SyncError) -> any SyncEndpoint {
        switch source {
        case .single(let endpoint):
            guard name == nil else { throw .notFound("this server serves one repository, at /v1/") }
            return endpoint
        case .root(let root, let options, let limits):
            guard let encoded = name else { throw .notFound("this server serves several repositories: use /<repository>/v1/") }
            // The path segment as sent: decoded, then checked, so `%2F` cannot smuggle a separator.
            guard let name = encoded.removingPercentEncoding, Self.isValidName(name) else {
                throw .notFound("no repository named '\(encoded)'")
            }
            return try opened.withLock { (cache) throws(SyncError) -> RepositoryEndpoint in
                if let endpoint = cache[name] { return endpoint }
                let store = root + "/" + name + "/.engram"
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw .notFound("no repository named '\(name)'")
                }
                let repository: Repository
                do throws(GraphError) { repository = try Repository.open(at: store, options: options) } catch {
                    throw .repository(error)
                }
                let endpoint = RepositoryEndpoint(repository: repository, limits: limits)
                cache[name] = endpoint
                return endpoint
            }
        }
    }

    /// A directory name, not a path: no separator, no leading dot (so no `..`), no NUL.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }
}
