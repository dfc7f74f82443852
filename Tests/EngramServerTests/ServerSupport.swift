import Engram
import EngramCAR
import EngramHTTPWire
import EngramIPLD
import EngramServer
import EngramStore
import EngramSync
import Foundation
import Hummingbird
import HummingbirdTesting

/// Repositories, graph data and request bodies for the HTTP tests.
enum ServerSupport {
    static let info = CommitInfo(author: "http-test", message: "change", time: 1_700_000_000_000_000)
    static let writeToken = "w-t\u{F6}ken-\u{1F511}"
    static let readToken = "read-token"

    /// Names that are not only ASCII: NFC and NFD spellings, NUL, astral characters.
    static let names = ["Zo\u{EB}", "Zoe\u{308}", "nul\u{0}inside", "\u{1F9E0}", "\u{65E5}\u{672C}\u{8A9E}"]

    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// Puts nodes `ids` (values derived from `salt`) linked by `next` edges, as one commit.
    @discardableResult
    static func commit(_ repo: Repository, ids: Range<UInt64>, salt: Int64) throws -> CID {
        var tx = try repo.transaction()
        for n in ids {
            tx.putNode(Node(id: id(n), label: "Note", props: ["name": .string(names[Int(n % 5)] + " \(n)"), "v": .int(salt &+ Int64(n))]))
            if n > ids.lowerBound { tx.putEdge(Edge(id: id(1_000_000 + n), src: id(n - 1), label: "next", dst: id(n))) }
        }
        return try repo.commit(tx, info)
    }

    static func nodes(_ repo: Repository, _ cid: CID) throws -> [Node] {
        var out: [Node] = []
        try repo.snapshot(cid).forEachNode { out.append($0) }
        return out
    }

    /// The blocks `roots` reach and `haves` do not, in an order a receiver accepts (parents
    /// before children): what a push of `roots` to a holder of `haves` sends.
    static func closure(_ repo: Repository, _ roots: [CID], haves: [CID] = []) async throws -> [Block] {
        var blocks: [Block] = []
        for try await block in try await RepositoryEndpoint(repository: repo).fetch(FetchRequest(wants: roots, haves: haves)) {
            blocks.append(block)
        }
        return blocks
    }

    static func memoryRepository() throws -> Repository { try Repository(store: MemoryBlockStore()) }

    /// A push body: the framed request, then a CAR of `blocks` with the update targets as roots.
    static func pushBody(_ request: PushRequest, _ blocks: [Block]) throws -> ByteBuffer {
        ByteBuffer(bytes: SyncHTTP.pushPrefix(request) + (try CARWriter.archive(roots: request.updates.map(\.new), blocks: blocks)))
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    /// The error a response body carries.
    static func error(_ response: TestResponse) -> SyncError { SyncError.decodeFromWire(Array(response.body.readableBytesView)) }
}

/// A directory removed when the value is released.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "engram-http-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A file repository at `<path>/<name>/.engram`, as `engram init` makes one.
    func repository(_ name: String) throws -> Repository {
        var options = FileBlockStore.Options()
        options.durability = .none
        options.compactOnCloseAbove = nil
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try Repository.create(at: path + "/" + name, options: options)
    }
}

/// An endpoint whose fetch stream fails after `blocksBeforeFailure` blocks, and whose push
/// records what it received (for the framing tests).
final class ScriptedEndpoint: SyncEndpoint, @unchecked Sendable {
    let blocks: [Block]
    let blocksBeforeFailure: Int?
    private let lock = NSLock()
    private var _pushed: [(PushRequest, [Block])] = []

    init(blocks: [Block], blocksBeforeFailure: Int? = nil) {
        self.blocks = blocks
        self.blocksBeforeFailure = blocksBeforeFailure
    }

    var pushed: [(PushRequest, [Block])] { lock.withLock { _pushed } }

    func advertise() async throws(SyncError) -> RefAdvertisement {
        RefAdvertisement(head: "refs/heads/main", refs: blocks.first.map { [("refs/heads/main", $0.cid)] } ?? [])
    }

    func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
        let blocks = self.blocks
        let cut = blocksBeforeFailure
        return BlockStream { c in
            for (i, block) in blocks.enumerated() {
                if let cut, i == cut {
                    c.finish(throwing: SyncError.repository(.notARepository("the scripted store failed")))
                    return
                }
                c.yield(block)
            }
            c.finish()
        }
    }

    func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        var received: [Block] = []
        do { for try await block in blocks { received.append(block) } } catch { throw SyncError.wrapping(error) }
        lock.withLock { _pushed.append((request, received)) }
        return PushResult(applied: true, refs: request.updates.map { ($0.ref, $0.new) }, received: received.count)
    }
}
