/// What a sync moved: the figures `--stats` prints.
public struct TransferStats: Hashable, Sendable, Codable {
    /// Requests made to the other side (list refs, fetch, push).
    public var roundTrips = 0
    /// Blocks received.
    public var blocksReceived = 0
    /// Bytes of blocks received.
    public var bytesReceived = 0
    /// Blocks sent.
    public var blocksSent = 0
    /// Bytes of blocks sent.
    public var bytesSent = 0
    /// Links the receiver found it already had, so were not transferred.
    public var blocksAlreadyHad = 0
    /// Blocks a resumed transfer found in its quarantine from the cut one.
    public var blocksResumed = 0
    /// Blocks sent that the receiver already held (shared with a commit other than the
    /// parents of the commit that reached them), dropped on arrival.
    public var blocksDuplicated = 0

    /// No transfer yet.
    public init() {}
}

/// What a fetch did.
public struct FetchReport: Hashable, Sendable {
    /// What moved.
    public var stats = TransferStats()
    /// Each remote-tracking ref changed: name, old and new target.
    public var updated: [RefChange] = []
    /// The branch `HEAD` names on the other side.
    public var remoteHead: String?
}

/// What a push did.
public struct PushReport: Hashable, Sendable {
    /// What moved.
    public var stats = TransferStats()
    /// Each branch moved on the other side.
    public var updated: [RefChange] = []
}

/// One ref moved by a sync.
public struct RefChange: Hashable, Sendable, Codable {
    /// The ref's full name.
    public var ref: String
    /// The CID it held before (nil: it did not exist).
    public var old: String?
    /// The CID it holds now.
    public var new: String
}

/// How far a transfer has got, reported every few hundred blocks while it runs.
public struct TransferProgress: Hashable, Sendable {
    /// Blocks and bytes moved so far (received for a fetch, sent for a push).
    public var blocks: Int
    /// Bytes moved so far.
    public var bytes: Int
}

/// Called with the progress of a running transfer (from the task running it).
public typealias ProgressHandler = @Sendable (TransferProgress) -> Void
