import ArgumentParser
import Engram
import EngramProlly
import EngramStore
import EngramSync

/// The exit status of a failed command, by what went wrong, so scripts and agents can tell a
/// conflict from a lock from a damaged store without parsing messages (README "Exit status").
enum ExitStatus {
    /// Anything not listed below.
    static let failure: Int32 = 1
    /// The command line itself is wrong: an unknown command or option, a missing or malformed
    /// argument (as git and most tools exit; swift-argument-parser's own is 64).
    static let usage: Int32 = 2
    /// A merge or commit conflict, a ref that moved, a push that does not fast-forward, an id or
    /// branch that already exists, a branch not merged.
    static let conflict: Int32 = 3
    /// No such revision, branch, node (an edge to a missing one too), edge, remote, block or repository.
    static let notFound: Int32 = 4
    /// Another process holds the repository's writer lock.
    static let locked: Int32 = 5
    /// The store is damaged or a block is corrupt (see `engram fsck`).
    static let damaged: Int32 = 6
    /// A peer or an archive broke the sync protocol or its limits; nothing was published.
    static let refused: Int32 = 7
    /// The remote wants (other) credentials (EX_NOPERM).
    static let unauthorized: Int32 = 77
    /// The commit was written but its sync failed: it may or may not be there after a reopen.
    /// (EX_TEMPFAIL: look before retrying, or the retry may commit twice.)
    static let outcomeUnknown: Int32 = 75

    /// The status for `error`, or nil for errors the argument parser reports itself (usage: ``usage``).
    static func code(for error: any Error) -> Int32? {
        switch error {
        case let e as StoreError: return store(e)
        case let e as GraphError: return graph(e)
        case let e as SyncError: return sync(e)
        case let e as CLIError: return e.status
        case let e as ProllyError: return tree(e)
        default: return nil
        }
    }

    static func store(_ error: StoreError) -> Int32 {
        switch error {
        case .commitOutcomeUnknown: outcomeUnknown
        case .locked: locked
        case .damaged, .corruptStore, .corruptBlock, .hashMismatch: damaged
        case .refConflict: conflict
        case .notFound, .notAStore: notFound
        default: failure
        }
    }

    /// A tree command's error: a root that is not in the store is not found; a bad node, damage.
    static func tree(_ error: ProllyError) -> Int32 {
        switch error {
        case .missingNode: notFound
        case .storeFailed(_, let e): store(e)
        case .invalidNode, .corruptNode: damaged
        default: failure
        }
    }

    static func graph(_ error: GraphError) -> Int32 {
        switch error {
        case .store(let e): store(e)
        case .commitConflict, .mergeConflict, .branchExists, .nodeExists, .edgeExists, .branchNotMerged, .tooManyRetries: conflict
        case .nodeNotFound, .edgeNotFound, .danglingEdge, .unknownRevision, .branchNotFound, .notARepository, .unbornBranch: notFound
        case .corruptBlock, .missingBlock, .invalidObject: damaged
        default: failure
        }
    }

    static func sync(_ error: SyncError) -> Int32 {
        switch error {
        case .repository(let e): graph(e)
        case .refMoved, .notFastForward: conflict
        case .notFound: notFound
        case .unauthorized: unauthorized
        case .malformedMessage, .unrequestedBlock, .blockTooLarge, .hashMismatch, .incomplete, .notACommit, .archive: refused
        default: failure
        }
    }
}
