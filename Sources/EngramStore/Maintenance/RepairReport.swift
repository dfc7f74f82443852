import EngramIPLD

/// What ``FileBlockStore/repair(at:options:)`` found, kept, set aside and lost.
///
/// When ``damageFound`` is false the store was left exactly as it was and every other field
/// is empty.
public struct RepairReport: Sendable, Hashable, Codable {
    /// One ref moved (or deleted) because its closure was incomplete.
    public struct RefMove: Sendable, Hashable, Codable {
        /// The ref's full name.
        public var name: String
        /// What the ref held after the salvaged journal.
        public var from: CID
        /// The newest commit with a complete closure; nil when there was none and the ref was deleted.
        public var to: CID?
        /// Blocks missing from `from`'s closure.
        public var missingBlocks: Int
    }

    /// Whether open or `fsck` saw damage (when false, nothing was changed).
    public var damageFound = false
    /// What open and `fsck` reported before the repair, one line each.
    public var findings: [String] = []
    /// Damaged files, as their copies under the store directory (`damaged/<n>/journal/...`).
    public var setAside: [String] = []
    /// Files the store expected that were not there (journal segments, packs), relative to the
    /// store directory.
    public var missingFiles: [String] = []
    /// Valid records found in the files repair rewrote (the live journal and damaged packs).
    public var recordsKept = 0
    /// Records dropped from those files: well-framed ones that failed verification (a block
    /// that does not hash to its CID, a commit record that does not parse) and each run of
    /// invalid bytes skipped to resynchronise.
    public var recordsDropped = 0
    /// Bytes of those files in no kept record.
    public var bytesDropped = 0
    /// Refs moved to an older commit or deleted.
    public var refsMoved: [RefMove] = []
    /// Commits refs held (or led to) whose closure is incomplete, newest first per ref.
    public var commitsLost: [CID] = []
    /// Distinct blocks missing from the closures of the refs as they were.
    public var blocksMissing = 0

    /// A report of no damage.
    public init() {}
}

/// How ``FileBlockStore/repair(at:options:)`` works.
public struct RepairOptions: Sendable {
    /// How the store is opened once its files are repaired (`readOnly` is ignored).
    public var store = FileBlockStore.Options()
    /// The first parent of a commit block, for walking a ref's history back to a commit whose
    /// closure is complete (the graph layer passes its commit decoder); nil for blocks that
    /// are not commits. Without it only the ref's earlier values in the reflog are tried.
    public var firstParent: @Sendable (CID, [UInt8]) -> CID? = { _, _ in nil }

    /// Options that reopen with `store` and walk commits back with `firstParent`.
    public init(store: FileBlockStore.Options = FileBlockStore.Options(), firstParent: (@Sendable (CID, [UInt8]) -> CID?)? = nil) {
        self.store = store
        if let firstParent { self.firstParent = firstParent }
    }
}
