import EngramIPLD
import EngramStorage
import EngramProlly

/// What went wrong in a graph operation, naming the object, id, ref or revision involved.
public enum GraphError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A block is not a valid object of the expected kind.
    case invalidObject(kind: String, cid: CID?, reason: ErrorReason)
    /// A block the graph links to is not in the store.
    case missingBlock(CID)
    /// The bytes the store holds for a block are not the block its CID names.
    case corruptBlock(CID, reason: ErrorReason)
    /// The block store or ref store failed (its own error, kept whole).
    case store(StoreError)
    /// A tree operation failed.
    case tree(ProllyError)
    /// No node with this id in the state read or written.
    case nodeNotFound(EntityID)
    /// No edge with this id in the state read or written.
    case edgeNotFound(EntityID)
    /// A merge settlement that cannot apply (a value for a field that takes none, or one that
    /// names no conflict).
    case invalidResolution(String)
    /// A node with this id already exists (adding it again would replace it; change it instead).
    case nodeExists(EntityID)
    /// An edge with this id already exists.
    case edgeExists(EntityID)
    /// An edge names an endpoint node that does not exist when the transaction commits.
    case danglingEdge(edge: EntityID, missingNode: EntityID)
    /// A concurrent commit changed what this transaction changed (the collisions are listed).
    case commitConflict([MergeConflict])
    /// A merge found conflicts and the policy was to report them.
    case mergeConflict([MergeConflict])
    /// A revision that names no commit.
    case unknownRevision(String)
    /// A CID prefix that more than one known commit starts with (SPEC.md 7.8); `candidates`
    /// lists them, sorted, up to ``Repository/ambiguityListLimit``.
    case ambiguousRevision(String, candidates: [CID])
    /// The branch has no commit yet.
    case unbornBranch(String)
    /// The branch already exists.
    case branchExists(String)
    /// No branch of this name.
    case branchNotFound(String)
    /// A branch name that is not a valid ref component.
    case invalidBranchName(String)
    /// The branch's commits are not all reachable from `HEAD`: deleting it could lose them
    /// (delete with `force`).
    case branchNotMerged(String)
    /// The branch checked out cannot be deleted.
    case cannotDeleteCurrentBranch(String)
    /// The directory holds no repository, or is not one.
    case notARepository(String)
    /// A property value cannot be used as an index key (NaN, list, map, link...).
    case unindexableValue(ErrorReason)
    /// Another writer kept moving the branch; gave up after this many attempts.
    case tooManyRetries(Int)
    /// A commit's index trees are in a key format this version does not query (SPEC.md 7.3):
    /// an older one is rebuilt by the next commit over it, a newer one needs a newer Engram.
    case unsupportedIndexFormat(found: Int, supported: Int)
    /// A line of a change stream (`engram apply`, the staged-changes file) is not a valid change.
    case invalidChange(line: Int, reason: ErrorReason)
    /// A property value of a node or edge being committed links to a block that is not in the
    /// store (`fsck` would then fail on the commit).
    case missingLinkedBlock(entity: EntityID, property: String, cid: CID)
    /// A recall request that cannot be run, and why.
    case invalidRecall(String)
    /// A full-text query that cannot run (empty, too long, no searchable term, an unclosed
    /// quote, a bad limit or BM25 parameter); the text says which (SPEC.md 7.11).
    case invalidTextQuery(String)
    /// A node or edge being committed has a `valid_from` or `valid_to` that is not an integer in
    /// signed 64 bits, or an empty interval (SPEC.md 7.10).
    case invalidValidity(entity: EntityID, reason: String)
    /// A node being committed has an `embedding` property that is not a valid embedding
    /// (SPEC.md 7.12).
    case invalidEmbedding(node: EntityID, reason: String)
    /// A vector query's dimension differs from a stored vector's of the same model.
    case vectorDimensionMismatch(model: String, query: Int, stored: Int)
    /// A vector query that cannot be answered (no vector, a NaN or infinite component...).
    case invalidVectorQuery(String)

    public var description: String {
        switch self {
        case .invalidObject(let k, let c, let r): "invalid \(k) object" + (c.map { " \($0)" } ?? "") + ": \(r)"
        case .missingBlock(let c): "block \(c) is not in the store"
        case .corruptBlock(let c, let r): "block \(c) is corrupt: \(r)"
        case .store(let e): "\(e)"
        case .tree(let e): "reading or writing an index tree failed: \(e)"
        case .nodeNotFound(let id): "no node \(id)"
        case .edgeNotFound(let id): "no edge \(id)"
        case .invalidResolution(let r): "cannot resolve \(r)"
        case .nodeExists(let id): "node \(id) already exists (change it with `node set`)"
        case .edgeExists(let id): "edge \(id) already exists (change it with `edge set`)"
        case .branchNotMerged(let b): "branch '\(b)' is not merged into HEAD (delete it anyway with -D)"
        case .danglingEdge(let e, let n): "edge \(e) points at node \(n), which does not exist"
        case .commitConflict(let c): "concurrent commit conflicts: " + c.map(\.description).joined(separator: "; ")
        case .mergeConflict(let c): "merge conflicts: " + c.map(\.description).joined(separator: "; ")
        case .unknownRevision(let r): "unknown revision '\(r)'"
        case .ambiguousRevision(let r, let c):
            "revision '\(r)' is ambiguous: several commits start with it ("
                + c.map(\.description).joined(separator: ", ") + (c.count >= Repository.ambiguityListLimit ? ", ..." : "") + ")"
        case .unbornBranch(let b): "branch '\(b)' has no commits yet"
        case .branchExists(let b): "branch '\(b)' already exists"
        case .branchNotFound(let b): "no branch '\(b)'"
        case .invalidBranchName(let b): "invalid branch name '\(b)'"
        case .cannotDeleteCurrentBranch(let b): "cannot delete branch '\(b)': it is checked out"
        case .notARepository(let p): "\(p) is not an Engram repository"
        case .unindexableValue(let r): "value cannot be an index key: \(r)"
        case .tooManyRetries(let n): "the branch kept moving: gave up after \(n) attempts"
        case .unsupportedIndexFormat(let f, let s):
            "the indexes are in key format \(f), this version reads format \(s)"
                + (f < s ? " (the next commit on the branch rebuilds them)" : " (written by a newer version)")
        case .invalidChange(let l, let r): "change on line \(l): \(r)"
        case .missingLinkedBlock(let e, let p, let c):
            "property \"\(p)\" of \(e) links to block \(c), which is not in the store (put the block first)"
        case .invalidRecall(let r): "invalid recall: \(r)"
        case .invalidTextQuery(let r): "invalid text query: \(r)"
        case .invalidValidity(let e, let r): "invalid validity interval on \(e): \(r)"
        case .invalidEmbedding(let n, let r): "invalid embedding on node \(n): \(r)"
        case .vectorDimensionMismatch(let m, let q, let s):
            "the query vector has \(q) dimensions, the stored vectors of model \"\(m)\" have \(s)"
        case .invalidVectorQuery(let r): "invalid vector query: \(r)"
        }
    }
}

extension GraphError {
    /// `error` as a graph error: itself when it is one, ``store(_:)`` around a store error,
    /// and a `StoreError.backend(reason:)` for anything else a backend threw.
    public static func wrapping(_ error: any Error) -> GraphError {
        switch error {
        case let e as GraphError: e
        case let e as StoreError: .store(e)
        case let e as ProllyError: wrapping(e)
        default: .store(.backend(reason: .cause(error)))
        }
    }

    /// A tree error as a graph error: a store failure met while reading or writing a tree is
    /// the store's error (``store(_:)``: a lock, a closed or damaged store stay what they are).
    public static func wrapping(_ error: ProllyError) -> GraphError {
        if case .storeFailed(_, let e) = error { .store(e) } else { .tree(error) }
    }

    /// Runs a tree operation, wrapping its error.
    @inlinable
    static func tree<R>(_ body: () throws(ProllyError) -> R) throws(GraphError) -> R {
        do { return try body() } catch { throw wrapping(error) }
    }
}
