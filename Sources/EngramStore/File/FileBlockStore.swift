#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
import Synchronization

/// The durable embedded block store: one directory per repository (layout in SPEC.md section 4).
///
/// Writes append CRC32C-framed records to a journal; a commit is a commit record (carrying any
/// ref updates) after its blocks, made durable by one `fdatasync` that concurrent commits share.
/// Sealed journal segments are compacted in the background into immutable sorted packs with a
/// mapped index, so opening does not rescan old blocks. One process writes (`WriterLock`: an
/// `flock` on the directory and on `LOCK`); any number of others may open the directory read-only.
public final class FileBlockStore: BlockStore {
    /// The largest block accepted (16 MiB).
    public static let maxBlockSize = 16 << 20

    /// How a store is opened.
    public struct Options: Sendable {
        /// When a commit is durable.
        public enum Durability: Sendable, Hashable {
            /// Durable when `commit` returns: every commit waits for an `fdatasync` that covers it
            /// (concurrent commits share one). The default.
            case strict
            /// Commits return once written to the journal; an `fdatasync` runs at most every
            /// `milliseconds` (and at ``FileBlockStore/flush()`` and close). A crash of the machine
            /// (not of the process) may lose the commits of the last interval. Choose it only when
            /// that loss is acceptable.
            case batched(milliseconds: Int)
            /// Commits return once written to the journal and the store never syncs it on its own
            /// (only ``FileBlockStore/flush()`` does, and sealing a full segment). A crash of the
            /// process loses nothing; a crash of the machine may lose any commit not flushed. For
            /// scratch repositories, tests and bulk imports that can be redone.
            case none

            /// Whether a commit waits for its `fdatasync`.
            var waitsForSync: Bool { if case .strict = self { true } else { false } }
            /// Whether closing the store syncs the journal.
            var syncsOnClose: Bool { if case .none = self { false } else { true } }
        }

        /// When a commit is durable (``Durability/strict`` by default).
        public var durability: Durability = .strict
        /// zstd level for block payloads; nil stores every block raw.
        public var compressionLevel: Int32? = 3
        /// A commit carrying fewer block bytes than this is journaled uncompressed, and its blocks
        /// are compressed when compaction moves them into a pack. Compressing ten 2.5 KiB blocks
        /// can cost more CPU than the commit's `fdatasync`, so this keeps a small commit's latency
        /// close to one sync; large commits are compressed as they are written, on several
        /// threads. 0 compresses every commit as it is written.
        public var deferCompressionBelow = 64 << 10
        /// Open as a reader: no lock, no writes; ``refresh()`` picks up newer commits.
        public var readOnly = false
        /// How long a writer waits for another process's writer lock before ``open(at:options:)``
        /// throws ``StoreError/locked(path:pid:)``: 0 (the default) fails at once. Several short-lived
        /// writers (agent processes, scripts) then take turns instead of failing. Clamped to an hour.
        public var lockWaitMilliseconds = 0 {
            didSet { lockWaitMilliseconds = min(max(lockWaitMilliseconds, 0), 3_600_000) }
        }
        /// A journal segment is sealed (and compacted into a pack) once it reaches this size.
        /// Values above 256 GiB are lowered to it (journal offsets must stay addressable).
        public var segmentSize = 64 << 20 {
            didSet { segmentSize = min(segmentSize, JournalLimits.maxSegmentBytes) }
        }
        /// Packs beyond this count are merged.
        public var maxPacks = 8
        /// Compact sealed segments in the background (otherwise only at ``compact()``).
        public var autoCompact = true
        /// A writer that closes (or is released) with more journal bytes than this in its live
        /// segment, or with sealed segments left, moves them into packs first: every open scans
        /// the live journal, so this bounds what the next open reads whatever the repository's
        /// size, even when writers are short-lived processes. nil leaves it to background
        /// compaction and ``compact()``.
        public var compactOnCloseAbove: Int? = 4 << 20
        /// The system call layer (tests install faults here).
        var sys: SystemCalls = .live
        /// How often a reader starts its load over when a file it read changed or went (a writer
        /// compacting meanwhile) before it reports what it saw. Tests that damage files with no
        /// writer running lower it: a retry cannot change their outcome.
        var readerRetries = 50

        /// Options with the given durability, zstd level (nil: no compression) and mode.
        public init(durability: Durability = .strict, compressionLevel: Int32? = 3, readOnly: Bool = false) {
            self.durability = durability
            self.compressionLevel = compressionLevel
            self.readOnly = readOnly
        }
    }

    /// The store directory.
    public let directory: String
    /// The hash function recorded at creation; the graph layer hashes new blocks with it.
    public let hashFunction: HashFunction
    /// The options the store was opened with.
    public let options: Options
    /// Whether the store was opened as a reader.
    public var isReadOnly: Bool { options.readOnly }

    let sys: SystemCalls
    let state: Mutex<State>
    /// Serialises `fdatasync` of the journal; whoever holds it syncs for every waiting commit.
    let syncLock = Mutex<Int>(0)
    /// Serialises compaction, pack merges and garbage collection (each rewrites the manifest).
    let maintenanceLock = Mutex<Int>(0)
    /// The writer's open files outside the state, dropped by ``close()``.
    struct WriterFiles: Sendable {
        /// The writer's locks (held open so the `flock`s last as long as the store).
        var writerLock: WriterLock?
        /// `DURABLE`, rewritten after every journal sync (writers only; see `DurableMark`).
        var markFile: OpenFile?
    }

    let writerFiles: Mutex<WriterFiles>

    init(directory: String, hash: HashFunction, options: Options, state: State, writerLock: WriterLock?, markFile: OpenFile?) {
        self.directory = directory
        self.hashFunction = hash
        self.options = options
        self.sys = options.sys
        self.state = Mutex(state)
        self.writerFiles = Mutex(WriterFiles(writerLock: writerLock, markFile: markFile))
        if case .batched(let ms) = options.durability, !options.readOnly { startFlusher(every: ms) }
    }

    /// Whether `directory` holds a store (its header is there).
    public static func exists(at directory: String, options: Options = Options()) -> Bool {
        options.sys.exists(StoreFiles.header(directory))
    }

    /// Creates a new store in `directory` (created if missing, which must not hold a store).
    public static func create(at directory: String, hash: HashFunction = .sha2_256, options: Options = Options()) throws -> FileBlockStore {
        let sys = options.sys
        try sys.mkdir(directory)
        guard !sys.exists(StoreFiles.header(directory)) else { throw StoreError.alreadyExists(path: directory) }
        try sys.mkdir(StoreFiles.journalDirectory(directory))
        try sys.mkdir(StoreFiles.packDirectory(directory))
        var manifest = Manifest()
        manifest.refs.refs["HEAD"] = .symbolic("refs/heads/main")
        try writeFileAtomically(manifest.encode(), to: StoreFiles.manifest(directory), directory: directory, sys: sys)
        // The header goes last: its presence marks a complete store.
        try writeFileAtomically(StoreFiles.encodeHeader(hash: hash), to: StoreFiles.header(directory), directory: directory, sys: sys)
        return try open(at: directory, options: options)
    }

    /// Opens an existing store, recovering the journal tail when opened for writing.
    public static func open(at directory: String, options: Options = Options()) throws -> FileBlockStore {
        let sys = options.sys
        let headerPath = StoreFiles.header(directory)
        guard sys.exists(headerPath) else { throw StoreError.notAStore(path: directory) }
        let hash = try StoreFiles.decodeHeader(try readWholeFile(headerPath, sys: sys), path: headerPath)
        let writerLock = options.readOnly ? nil : try takeWriterLock(directory, waitingUpTo: options.lockWaitMilliseconds, sys: sys)
        return try open(at: directory, hash: hash, options: options, writerLock: writerLock)
    }

    /// Takes the writer's lock, retrying for up to `milliseconds` while another process holds it
    /// (polling with a growing pause: `flock` cannot wait with a timeout); then throws the
    /// holder's ``StoreError/locked(path:pid:)``.
    static func takeWriterLock(_ directory: String, waitingUpTo milliseconds: Int, sys: SystemCalls) throws -> WriterLock {
        let deadline = monotonicMilliseconds() + Int64(milliseconds)
        var pause: UInt32 = 1_000
        while true {
            do { return try takeWriterLock(directory, sys: sys) } catch StoreError.locked(let path, let pid) {
                let left = deadline - monotonicMilliseconds()
                guard left > 0 else { throw StoreError.locked(path: path, pid: pid) }
                usleep(min(pause, UInt32(clamping: left * 1000)))
                pause = min(pause * 2, 50_000)
            }
        }
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Takes the writer's lock (``WriterLock``: the store directory and `LOCK`).
    static func takeWriterLock(_ directory: String, sys: SystemCalls) throws -> WriterLock {
        try WriterLock.acquire(directory, sys: sys)
    }

    /// Loads the store's state (recovering as a writer when `writerLock`, the held writer lock, is given).
    static func open(at directory: String, hash: HashFunction, options: Options, writerLock: WriterLock?) throws -> FileBlockStore {
        let sys = options.sys
        let markFile = options.readOnly ? nil : try OpenFile(path: StoreFiles.durable(directory), flags: O_WRONLY | O_CREAT, sys: sys)
        var loader = StoreLoader(directory: directory, sys: sys, writable: !options.readOnly)
        loader.markFile = markFile
        loader.retries = options.readerRetries
        let state = try loader.load()
        return FileBlockStore(directory: directory, hash: hash, options: options, state: state, writerLock: writerLock, markFile: markFile)
    }

    /// Makes every commit made so far durable (unless durability is `.none`) and stops the store;
    /// later calls throw `StoreError.closed`. Releases the writer lock and the store's file
    /// descriptors and mappings (a read running now keeps the file it reads until it ends).
    /// Closing again does nothing.
    public func close() throws {
        try finishWriting()
        maintenanceLock.withLock { _ in
            state.withLock { s in
                s.closed = true
                // Files close when their last reference goes: drop the state's.
                s.segments = []
                s.packs = []
            }
        }
        writerFiles.withLock { files in
            files.writerLock?.release(sys: sys)
            files = WriterFiles()
        }
    }

    deinit {
        try? finishWriting()
    }

    /// What a writer does before it goes: sync (unless durability is `.none`) and bound the
    /// journal the next open scans (``Options/compactOnCloseAbove``).
    private func finishWriting() throws {
        guard !options.readOnly else { return }
        if options.durability.syncsOnClose { try flush() }
        guard let limit = options.compactOnCloseAbove else { return }
        let (live, sealed, closed) = state.withLock { ($0.tail, $0.sealed.count, $0.closed) }
        guard !closed, live > limit || sealed > 0 else { return }
        try maintenanceLock.withLock { _ in
            if live > limit { try sealAndCompactAll() } else { try compactSealed() }
            try mergePacksIfNeeded()
        }
    }

    /// Picks up commits made by the writer since this read-only store was opened or refreshed.
    public func refresh() throws {
        if state.withLock({ $0.closed }) { throw StoreError.closed }
        var loader = StoreLoader(directory: directory, sys: sys, writable: false)
        loader.retries = options.readerRetries
        let fresh = try loader.load()
        state.withLock { s in
            let closed = s.closed
            s = fresh
            s.closed = closed
        }
    }

    /// The refs, their compare-and-swap updates and the reflog.
    public var refs: RefStore { RefStore(store: self) }
}
