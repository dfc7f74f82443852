import EngramIPLD

/// The refs and reflog at one point of the journal.
struct RefState: Sendable, Equatable {
    var refs: [String: RefValue] = [:]
    var reflog: [ReflogEntry] = []
    /// The sequence number of the last commit applied.
    var sequence: UInt64 = 0

    /// Checks every expectation of `updates` against this state, in order.
    func check(_ updates: [RefUpdate]) throws(StoreError) {
        var scratch = refs
        for u in updates {
            try RefName.validate(u.name)
            let actual = scratch[u.name]
            let ok: Bool
            switch u.expected {
            case .any: ok = true
            case .absent: ok = actual == nil
            case .value(let v): ok = actual == v
            }
            guard ok else {
                let expected: RefValue? = if case .value(let v) = u.expected { v } else { nil }
                throw .refConflict(name: u.name, expected: expected?.cid, actual: actual?.cid)
            }
            scratch[u.name] = u.new
        }
    }

    /// Applies a commit record (already checked) and logs its updates.
    mutating func apply(_ commit: CommitRecord) {
        for u in commit.updates {
            refs[u.name] = u.new
            reflog.append(ReflogEntry(name: u.name, old: u.old, new: u.new, time: commit.time, message: commit.message))
        }
        sequence = commit.sequence
    }

    /// Follows symbolic refs from `name` to a CID (at most 8 hops).
    func resolve(_ name: String) -> CID? {
        var current = name
        for _ in 0..<8 {
            switch refs[current] {
            case .cid(let c)?: return c
            case .symbolic(let next)?: current = next
            case nil: return nil
            }
        }
        return nil
    }
}
