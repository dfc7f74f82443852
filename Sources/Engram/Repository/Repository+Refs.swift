import EngramIPLD
import EngramStorage

extension Repository {
    /// The branch `HEAD` names, or nil when `HEAD` is detached at a commit.
    public func currentBranch() throws(GraphError) -> String? {
        guard case .symbolic(let name)? = try ref("HEAD") else { return nil }
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst(11)) : nil
    }

    /// The commit `HEAD` leads to, or nil when its branch is unborn.
    public func head() throws(GraphError) -> CID? {
        switch try ref("HEAD") {
        case .cid(let c)?: return c
        case .symbolic(let name)?: return try ref(name)?.cid
        case nil: return nil
        }
    }

    /// The head commit of branch `name`, or nil when the branch does not exist or is unborn.
    public func branchHead(_ name: String) throws(GraphError) -> CID? {
        try ref(Self.branchRef(name))?.cid
    }

    /// Every branch with a commit, sorted by name.
    public func branches() throws(GraphError) -> [(name: String, head: CID)] {
        try refList(prefix: "refs/heads/").compactMap { r in r.value.cid.map { (String(r.name.dropFirst(11)), $0) } }
    }

    /// Creates branch `name` at commit `at`; an existing branch is ``GraphError/branchExists(_:)``
    /// unless `force`, which moves it there (as `git branch -f`; its old head stays in the reflog).
    public func createBranch(_ name: String, at commit: CID, force: Bool = false) throws(GraphError) {
        try Self.validateBranchName(name)
        _ = try self.commit(commit)
        let update = force ? RefUpdate(name: Self.branchRef(name), expected: .any, new: .cid(commit))
                           : RefUpdate.move(Self.branchRef(name), from: nil, to: commit)
        guard try updateRefs(blocks: [], updates: [update], message: "branch \(name)") else { throw .branchExists(name) }
    }

    /// Deletes branch `name` (not the one checked out). Unless `force`, the branch's head must
    /// be reachable from `HEAD` (merged), else ``GraphError/branchNotMerged(_:)``: as `git
    /// branch -d`, so that a branch's only reference to its commits is not dropped by accident.
    public func deleteBranch(_ name: String, force: Bool = false) throws(GraphError) {
        guard let value = try ref(Self.branchRef(name)) else { throw .branchNotFound(name) }
        if try currentBranch() == name { throw .cannotDeleteCurrentBranch(name) }
        if !force, let tip = value.cid {
            guard let head = try head(), try ancestors(of: head).contains(tip) else { throw .branchNotMerged(name) }
        }
        guard try updateRefs(blocks: [], updates: [RefUpdate(name: Self.branchRef(name), expected: .value(value), new: nil)],
                              message: "delete branch \(name)") else {
            throw .store(.refConflict(name: Self.branchRef(name), expected: value.cid, actual: try ref(Self.branchRef(name))?.cid))
        }
    }

    /// Points `HEAD` at branch `name` (which must exist, or be the current unborn branch).
    public func checkout(branch name: String) throws(GraphError) {
        try Self.validateBranchName(name)
        let exists = try branchHead(name) != nil
        let current = try currentBranch() == name
        guard exists || current else { throw .branchNotFound(name) }
        try setHEAD(.symbolic(Self.branchRef(name)), message: "checkout \(name)")
    }

    /// Detaches `HEAD` at `commit`.
    public func checkout(detached commit: CID) throws(GraphError) {
        _ = try self.commit(commit)
        try setHEAD(.cid(commit), message: "checkout \(commit)")
    }

    func setHEAD(_ value: RefValue, message: String) throws(GraphError) {
        guard try updateRefs(blocks: [], updates: [RefUpdate(name: "HEAD", expected: .any, new: value)], message: message) else {
            // `.any` always holds: only a backend breaking its contract gets here.
            throw .store(.backend(reason: "the ref store refused an unconditional update of HEAD"))
        }
    }

    /// Branch names are ref components: printable ASCII without space and `~^:?*[\`, no `..`,
    /// not starting with `.` or `-`, not ending with `.lock` or `/`.
    static func validateBranchName(_ name: String) throws(GraphError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 200, !name.hasPrefix("."), !name.hasPrefix("-"), !name.hasSuffix(".lock"),
              !name.hasSuffix("/"), !name.contains(".."), !name.contains("//"), !name.contains("@{"), name != "HEAD",
              bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f && !"~^:?*[\\".utf8.contains($0) })
        else { throw .invalidBranchName(name) }
    }
}
