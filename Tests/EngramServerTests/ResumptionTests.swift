import Engram
import EngramHTTPRemote
import EngramIPLD
import EngramStore
import EngramSync
import Foundation
import Testing

/// A fetch whose HTTP response is cut midway keeps what arrived, and the next fetch asks
/// only for the rest.
struct ResumptionTests {
    /// Forwards to `target`; the first fetch's stream fails after `blocksBeforeCut` blocks
    /// (the server then cuts the response short, as when a sender dies).
    final class CutOnceEndpoint: SyncEndpoint, @unchecked Sendable {
        let target: any SyncEndpoint
        let blocksBeforeCut: Int
        private let lock = NSLock()
        private var fetches = 0

        init(_ target: any SyncEndpoint, blocksBeforeCut: Int) {
            self.target = target
            self.blocksBeforeCut = blocksBeforeCut
        }

        func advertise() async throws(SyncError) -> RefAdvertisement { try await target.advertise() }

        func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
            try await target.push(request, blocks: blocks)
        }

        func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
            let upstream = try await target.fetch(request)
            let first = lock.withLock { fetches += 1; return fetches == 1 }
            guard first else { return upstream }
            let cut = blocksBeforeCut
            return BlockStream { continuation in
                Task {
                    var sent = 0
                    do {
                        for try await block in upstream {
                            guard sent < cut else { throw SyncError.transport("the sender died") }
                            continuation.yield(block)
                            sent += 1
                        }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 17, 150])
    func aCutResponseResumesFromWhatArrived(blocksBeforeCut: Int) async throws {
        let dir = ScratchDirectory()
        let origin = try dir.repository("origin")
        try ServerSupport.commit(origin, ids: 0..<500, salt: 1)
        let head = try ServerSupport.commit(origin, ids: 250..<700, salt: 2)
        let total = try await ServerSupport.closure(origin, [head]).count
        try #require(total > blocksBeforeCut + 10)
        let copy = try dir.repository("copy")
        try await LoopbackTests.serving(CutOnceEndpoint(RepositoryEndpoint(repository: origin), blocksBeforeCut: blocksBeforeCut)) { port in
            let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:\(port)")
            await #expect(throws: SyncError.self) { try await copy.fetch(from: remote) }
            #expect(try copy.refs.get("refs/remotes/origin/main") == nil)
            let resumed = try await copy.fetch(from: remote)
            // The server sends every whole block before the cut; the client keeps those it
            // parsed before it saw the connection close (AsyncHTTPClient drops body parts still
            // buffered when the connection fails), and asks only for the rest.
            #expect(resumed.stats.blocksResumed <= blocksBeforeCut)
            #expect(resumed.stats.blocksResumed + resumed.stats.blocksReceived == total)
        }
        #expect(try copy.refs.get("refs/remotes/origin/main")?.cid == head)
        #expect(try ServerSupport.nodes(copy, head) == ServerSupport.nodes(origin, head))
        #expect(try (copy.store as? FileBlockStore)?.fsck().isClean == true)
    }
}
