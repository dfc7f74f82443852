import EngramIPLD

/// What a ref holds: a CID, or (for `HEAD`) the name of another ref.
public enum RefValue: Hashable, Sendable, CustomStringConvertible {
    /// A commit (or any block).
    case cid(CID)
    /// Another ref, by name (`HEAD` -> `refs/heads/main`).
    case symbolic(String)

    /// The CID, unless the ref is symbolic.
    public var cid: CID? { if case .cid(let c) = self { c } else { nil } }

    public var description: String {
        switch self {
        case .cid(let c): c.description
        case .symbolic(let n): "ref: \(n)"
        }
    }
}

/// One compare-and-swap change of a ref.
public struct RefUpdate: Hashable, Sendable {
    /// What the ref must hold for the update to apply.
    public enum Expectation: Hashable, Sendable {
        /// Apply whatever the ref holds.
        case any
        /// The ref must not exist.
        case absent
        /// The ref must hold exactly this value.
        case value(RefValue)
    }

    /// The ref's full name (`refs/heads/main`, `HEAD`).
    public var name: String
    /// What the ref must hold for the update to apply.
    public var expected: Expectation
    /// The new value; nil deletes the ref.
    public var new: RefValue?

    /// An update of ref `name` to `new` (nil: delete it) if it holds what `expected` says.
    public init(name: String, expected: Expectation, new: RefValue?) {
        self.name = name
        self.expected = expected
        self.new = new
    }

    /// Moves `name` to `cid` if it currently holds `old` (nil: if it does not exist).
    public static func move(_ name: String, from old: CID?, to cid: CID) -> RefUpdate {
        RefUpdate(name: name, expected: old.map { .value(.cid($0)) } ?? .absent, new: .cid(cid))
    }
}

/// One logged change of a ref.
public struct ReflogEntry: Hashable, Sendable {
    /// The ref's full name.
    public var name: String
    /// What it held before (nil: it did not exist).
    public var old: RefValue?
    /// What it held after (nil: it was deleted).
    public var new: RefValue?
    /// Microseconds since the Unix epoch.
    public var time: Int64
    /// Why it changed (`commit: ...`, `merge ...`, `branch ...`).
    public var message: String

    /// An entry recording that `name` went from `old` to `new` at `time`.
    public init(name: String, old: RefValue?, new: RefValue?, time: Int64, message: String) {
        self.name = name
        self.old = old
        self.new = new
        self.time = time
        self.message = message
    }
}

/// Ref naming rules (those of git, restricted): `HEAD`, or `refs/` followed by non-empty
/// components of printable ASCII other than space, `~^:?*[\`, not starting with `.`, not
/// ending with `.lock`, and no `..` or `@{`.
public enum RefName {
    /// Refs naming derived data (full-text postings): garbage collection keeps what they name
    /// now, never what their reflog names, since earlier values can be derived again.
    public static let derivedPrefix = "refs/indexes/"

    /// Whether a reflog entry of ref `name` keeps blocks from garbage collection.
    public static func reflogKeepsBlocks(_ name: String) -> Bool { !name.hasPrefix(derivedPrefix) }

    /// Throws ``StoreError/invalidRefName(_:)`` unless `name` follows the rules above.
    public static func validate(_ name: String) throws(StoreError) {
        if name == "HEAD" { return }
        let bytes = Array(name.utf8)
        guard name.hasPrefix("refs/"), bytes.count <= 1024, !name.contains(".."), !name.contains("@{") else {
            throw .invalidRefName(name)
        }
        for component in name.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard !component.isEmpty, !component.hasPrefix("."), !component.hasSuffix(".lock") else {
                throw .invalidRefName(name)
            }
        }
        for b in bytes where b <= 0x20 || b >= 0x7f || "~^:?*[\\".utf8.contains(b) {
            throw .invalidRefName(name)
        }
    }
}
