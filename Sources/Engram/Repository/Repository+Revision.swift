import EngramIPLD
import EngramStorage

extension Repository {
    /// How many candidates an ``GraphError/ambiguousRevision(_:candidates:)`` lists at most.
    public static let ambiguityListLimit = 10

    /// The commit a revision names (SPEC.md 7.8): a base, then any number of `~N` (N first
    /// parents back, `~` alone is `~1`) and `^N` (the Nth parent, `^` alone is `^1`, `^0` the
    /// commit itself) steps, applied left to right.
    ///
    /// The base is `HEAD` or `@`; `[ref]@{N}` (the ref's Nth previous position in its reflog,
    /// `@{N}` alone meaning the branch `HEAD` names); a full ref name `refs/...`; a branch
    /// name; a commit CID; or a unique prefix of the CID of a commit reachable from a ref or a
    /// reflog entry.
    public func resolve(_ revision: String) throws(GraphError) -> CID {
        let text = Substring(revision)
        let end = text.firstIndex(where: { $0 == "~" || $0 == "^" }) ?? text.endIndex
        var cid = try resolveBase(String(text[..<end]), revision: revision)
        var rest = text[end...]
        while let op = rest.first {
            guard op == "~" || op == "^" else { throw .unknownRevision(revision) }
            rest = rest.dropFirst()
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest.dropFirst(digits.count)
            // A count is at most a few digits of ASCII; anything larger names no commit.
            guard digits.count <= 9 else { throw .unknownRevision(revision) }
            let n = digits.isEmpty ? 1 : Int(digits) ?? 0
            if op == "~" {
                for _ in 0..<n {
                    guard let p = try commit(cid).parents.first else { throw .unknownRevision(revision) }
                    cid = p
                }
            } else if n > 0 {
                let parents = try commit(cid).parents
                guard n <= parents.count else { throw .unknownRevision(revision) }
                cid = parents[n - 1]
            } else {
                _ = try commit(cid)  // `^0`: the commit itself, which must be one
            }
        }
        return cid
    }

    private func resolveBase(_ base: String, revision: String) throws(GraphError) -> CID {
        if base == "HEAD" || base == "@" {
            guard let h = try head() else { throw .unbornBranch(try currentBranch() ?? "HEAD") }
            return h
        }
        if let at = base.firstRange(of: "@{"), base.hasSuffix("}") {
            let refText = String(base[..<at.lowerBound])
            let countText = base[at.upperBound..<base.index(before: base.endIndex)]
            guard countText.count <= 9, countText.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(countText) else {
                throw .unknownRevision(revision)
            }
            return try reflogPosition(refText, back: n, revision: revision)
        }
        if base.hasPrefix("refs/") {
            guard case .cid(let c)? = try? ref(base) else { throw .unknownRevision(revision) }
            return c
        }
        if let b = try? branchHead(base) { return b }
        if let c = CID(base), (try? store.has(c)) == true { return c }
        return try resolvePrefix(base, revision: revision)
    }

    /// The `back`th previous value of a ref in its reflog (0: its latest), for `ref@{n}`: an
    /// empty `ref` or `HEAD` is the branch `HEAD` names (or `HEAD` itself when detached).
    private func reflogPosition(_ refText: String, back: Int, revision: String) throws(GraphError) -> CID {
        let name: String
        if refText.isEmpty || refText == "HEAD" {
            name = try currentBranch().map(Self.branchRef) ?? "HEAD"
        } else {
            name = refText.hasPrefix("refs/") ? refText : Self.branchRef(refText)
        }
        let entries: [ReflogEntry]
        do { entries = try refs.reflog(name) } catch { throw .store(error) }
        guard back < entries.count, case .cid(let c)? = entries[entries.count - 1 - back].new else {
            throw .unknownRevision(revision)
        }
        return c
    }

    /// The one known commit whose CID text starts with `prefix` (SPEC.md 7.8: commits reachable
    /// from a ref or from a value in a reflog).
    private func resolvePrefix(_ prefix: String, revision: String) throws(GraphError) -> CID {
        guard prefix.count >= 4 else { throw .unknownRevision(revision) }
        let matches = try knownCommits().filter { $0.description.hasPrefix(prefix) }
        guard matches.count <= 1 else {
            let sorted = matches.sorted { $0.description < $1.description }
            throw .ambiguousRevision(revision, candidates: Array(sorted.prefix(Self.ambiguityListLimit)))
        }
        guard let only = matches.first else { throw .unknownRevision(revision) }
        return only
    }

    /// Every commit reachable from a ref or from a value recorded in a reflog: the commits a CID
    /// prefix can name. Commits that cannot be read (collected since a reflog named them) are
    /// left out, with what lies behind them.
    public func knownCommits() throws(GraphError) -> Set<CID> {
        var starts: [CID] = []
        for r in try refList(prefix: "") { if let c = r.value.cid { starts.append(c) } }
        if let h = try? head() { starts.append(h) }
        let log: [ReflogEntry]
        do { log = try refs.reflog(nil) } catch { throw .store(error) }
        for e in log {
            if let c = e.old?.cid { starts.append(c) }
            if let c = e.new?.cid { starts.append(c) }
        }
        var seen: Set<CID> = []
        var stack = starts
        while let c = stack.popLast() {
            guard !seen.contains(c), let parents = try? commit(c).parents else { continue }
            seen.insert(c)
            stack += parents
        }
        return seen
    }

    /// The length of the shortest CID prefix, at least `minimum` characters, that tells every
    /// known commit (``knownCommits()``) apart: the length of short CIDs in human output.
    public func shortCIDLength(minimum: Int = 12) throws(GraphError) -> Int {
        let texts = try knownCommits().map { Array($0.description.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var length = minimum
        for (a, b) in zip(texts, texts.dropFirst()) {
            let common = zip(a, b).prefix(while: { $0 == $1 }).count
            length = max(length, common + 1)
        }
        return length
    }
}
