import Engram
import EngramIPLD
import EngramStorage
import Synchronization

/// The sync protocol served by a repository in this process: what `engram serve` exposes over
/// HTTP and what a directory remote runs without it.
public final class RepositoryEndpoint: SyncEndpoint {
    /// The repository served.
    public let repository: Repository
    /// The limits a push to it enforces.
    public let limits: SyncLimits

    /// An endpoint serving `repository` in this process.
    public init(repository: Repository, limits: SyncLimits = .default) {
        self.repository = repository
        self.limits = limits
    }

    /// The repository's branches and what `HEAD` names.
    public func advertise() async throws(SyncError) -> RefAdvertisement {
        try Self.advertisement(of: repository)
    }

    /// The branches and `HEAD` of `repository`.
    static func advertisement(of repository: Repository) throws(SyncError) -> RefAdvertisement {
        do {
            let head: String? = if case .symbolic(let name)? = try repository.refs.get("HEAD") { name } else { nil }
            let refs = try repository.refs.list(prefix: "refs/heads/").compactMap { r in r.value.cid.map { (r.name, $0) } }
            return RefAdvertisement(head: head, refs: refs)
        } catch {
            throw .repository(.store(error))
        }
    }

    /// The blocks `request` asks for, streamed as they are read.
    public func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
        Self.stream(SenderBox(try MissingBlocks(store: repository.store, request: request)))
    }

    /// The blocks `sender` yields, pulled as the consumer reads (so memory stays flat), with
    /// `progress` told every 256 blocks.
    static func stream(_ box: SenderBox, progress: ProgressHandler? = nil) -> BlockStream {
        BlockStream(unfolding: {
            let block = try box.next()
            if let progress, block != nil, box.blocksSent % 256 == 0 {
                progress(TransferProgress(blocks: box.blocksSent, bytes: box.bytesSent))
            }
            return block
        })
    }

    /// Receives a push: verifies every block, then applies the ref updates all or none.
    public func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        let store = repository.store
        let quarantine = try Quarantine(path: try QuarantineFiles.path(for: store, name: QuarantineFiles.pushName()),
                                        roots: request.updates.map(\.new), limits: limits)
        defer { quarantine.discard() }
        let receiver = try BlockReceiver(store: store, roots: request.updates.map(\.new), quarantine: quarantine, limits: limits)
        do {
            for try await block in blocks { try receiver.receive(block) }
        } catch {
            throw .wrapping(error)
        }
        try receiver.finish()
        var updates: [RefUpdate] = []
        for u in request.updates {
            _ = try quarantine.commit(u.new, orFrom: store)
            if let expected = u.expected, !u.force, expected != u.new,
               try !quarantine.isAncestor(expected, of: u.new, store: store) {
                throw .notFastForward(ref: u.ref, current: expected, proposed: u.new)
            }
            updates.append(RefUpdate(name: u.ref, expected: u.expected.map { .value(.cid($0)) } ?? .absent, new: .cid(u.new)))
        }
        let applied = try quarantine.publish(to: store, refs: repository.refs, updates: updates,
                                             message: "push: " + request.updates.map { "\($0.ref) \($0.new)" }.joined(separator: ", "))
        var current: [(ref: String, current: CID?)] = []
        for u in request.updates {
            do { current.append((u.ref, try repository.refs.get(u.ref)?.cid)) } catch { throw .repository(.store(error)) }
        }
        return PushResult(applied: applied, refs: current, received: receiver.received)
    }
}

/// Lets a stream's pulls reach the (single-consumer) sender from any task.
final class SenderBox: @unchecked Sendable {
    // Only ever touched under `lock`: the stream's consumer pulls one block at a time.
    private let sender: MissingBlocks
    private let lock = Mutex(())

    init(_ sender: MissingBlocks) { self.sender = sender }

    var blocksSent: Int { lock.withLock { _ in sender.blocksSent } }
    var bytesSent: Int { lock.withLock { _ in sender.bytesSent } }

    func next() throws(SyncError) -> Block? {
        try lock.withLock { (_) throws(SyncError) in try sender.next() }
    }
}
