import Engram
import EngramIPLD
import EngramStore
import EngramSync
import EngramTestSupport
import Foundation

/// Graph data and repositories for the sync tests.
enum SyncSupport {
    static let info = CommitInfo(author: "sync-test", message: "change", time: 1_700_000_000_000_000)

    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// Text that is not only ASCII: NFC and NFD spellings, NUL, astral characters.
    static let texts = ["Ada", "caf\u{E9}", "cafe\u{301}", "nul\u{0}inside", "\u{1F9E0} memory", "\u{65E5}\u{672C}"]

    /// Puts nodes `ids` (with a value derived from `salt`) and a chain of edges, one commit.
    @discardableResult
    static func commit(_ repo: Repository, ids: Range<UInt64>, salt: Int64, edges: Bool = true) throws -> CID {
        var tx = try repo.transaction()
        for n in ids {
            let text = texts[Int(n % UInt64(texts.count))]
            tx.putNode(Node(id: id(n), label: n % 3 == 0 ? "Person" : "Note",
                            props: ["name": .string("\(text) \(n)"), "v": .int(salt &+ Int64(n))]))
            if edges, n > ids.lowerBound {
                tx.putEdge(Edge(id: id(1_000_000 + n), src: id(n - 1), label: "next", dst: id(n)))
            }
        }
        return try repo.commit(tx, info)
    }

    /// Every node of the graph at `cid`, sorted by id.
    static func nodes(_ repo: Repository, _ cid: CID) throws -> [Node] {
        var out: [Node] = []
        try repo.snapshot(cid).forEachNode { out.append($0) }
        return out
    }

    /// Every block the commits reach.
    static func closure(_ repo: Repository, _ roots: [CID]) throws -> Set<CID> {
        var missing: [CID] = []
        let reached = try BlockLinks.closure(of: roots, in: repo.store) { c, _ in missing.append(c) }
        precondition(missing.isEmpty, "closure incomplete: \(missing.prefix(3))")
        return reached
    }

    static func memoryRepository() throws -> Repository { try Repository(store: MemoryBlockStore()) }

    /// A file repository in a new temporary directory, removed by `cleanup`.
    static func fileRepository(_ dir: TemporaryDirectory, _ name: String) throws -> (Repository, String) {
        let path = dir.path + "/" + name
        let repo = try Repository.create(at: path, options: testOptions)
        return (repo, path)
    }

    static var testOptions: FileBlockStore.Options {
        var o = FileBlockStore.Options()
        o.durability = .none
        o.compactOnCloseAbove = nil
        return o
    }
}

/// A directory removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "engram-sync-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An endpoint that forwards to another, counting and optionally cutting the fetch stream
/// after `cutAfterBytes` bytes of blocks, or replacing it.
final class ProxyEndpoint: SyncEndpoint, @unchecked Sendable {
    let target: any SyncEndpoint
    let lock = NSLock()
    var cutAfterBytes: Int?
    var bytesServed = 0
    var blocksServed = 0

    init(_ target: any SyncEndpoint) { self.target = target }

    func advertise() async throws(SyncError) -> RefAdvertisement { try await target.advertise() }

    func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        try await target.push(request, blocks: blocks)
    }

    func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
        let upstream = try await target.fetch(request)
        let cut = lock.withLock { cutAfterBytes }
        return BlockStream { continuation in
            Task {
                var served = 0
                do {
                    for try await block in upstream {
                        if let cut, served + block.bytes.count > cut {
                            continuation.finish(throwing: SyncError.transport("connection cut by the test"))
                            return
                        }
                        served += block.bytes.count
                        self.lock.withLock {
                            self.bytesServed += block.bytes.count
                            self.blocksServed += 1
                        }
                        continuation.yield(block)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
        }
    }
}

/// An endpoint whose every answer the test writes.
struct ScriptedEndpoint: SyncEndpoint {
    var advertisement: RefAdvertisement
    var blocks: [Block]

    func advertise() async throws(SyncError) -> RefAdvertisement { advertisement }

    func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
        let blocks = self.blocks
        return BlockStream { c in
            for b in blocks { c.yield(b) }
            c.finish()
        }
    }

    func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        throw .unauthorized("scripted endpoints take no pushes")
    }
}
