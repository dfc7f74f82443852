import EngramIPLD
import EngramStorage

/// Blocks in transfer order: every block after one that links to it (or after the request
/// that names it), so the receiver checks each one as it arrives.
public typealias BlockStream = AsyncThrowingStream<Block, any Error>

/// One side of the sync protocol (SPEC.md 9): what a client talks to, whether the repository
/// is in this process (``RepositoryEndpoint``), in a directory, or behind `engram serve`.
///
/// Three operations, each one round trip: list refs, fetch (wants and haves in, one block
/// stream out), push (a ref update and a block stream in, the outcome out).
public protocol SyncEndpoint: Sendable {
    /// The branches and `HEAD`.
    func advertise() async throws(SyncError) -> RefAdvertisement
    /// The blocks reachable from `request.wants` and not from `request.haves`, in transfer order.
    /// The stream ends with an error when the sender fails midway.
    func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream
    /// Receives `blocks` (verifying each), then applies every update of `request` by
    /// compare-and-swap, all or none. Refs that moved are reported in the result
    /// (`applied == false`), not thrown.
    func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult
}

/// Bounds a receiver enforces while it reads, before anything is stored.
public struct SyncLimits: Hashable, Sendable {
    /// The largest block accepted (2 MiB by default, as a CAR reader's).
    public var maxBlockBytes: Int
    /// The most blocks one transfer may carry.
    public var maxBlocks: Int
    /// The most bytes of blocks one transfer may carry.
    public var maxTotalBytes: Int
    /// Received bytes kept in memory before the quarantine spills to a file.
    public var memoryBudget: Int

    /// Limits of the given sizes and counts.
    public init(maxBlockBytes: Int = 2 << 20, maxBlocks: Int = 50_000_000, maxTotalBytes: Int = 64 << 30,
                memoryBudget: Int = 64 << 20) {
        self.maxBlockBytes = maxBlockBytes
        self.maxBlocks = maxBlocks
        self.maxTotalBytes = maxTotalBytes
        self.memoryBudget = memoryBudget
    }

    /// The defaults: 2 MiB blocks, 50 million blocks and 64 GiB per transfer, 64 MiB in memory.
    public static let `default` = SyncLimits()
}
