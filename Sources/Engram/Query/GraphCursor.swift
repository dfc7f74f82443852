/// A lazy scan over a snapshot: node ids, neighbours, a traversal, nodes or edges.
///
/// Every scan a ``GraphSnapshot`` returns is a cursor: call ``next()`` until it returns nil,
/// or take the rest at once with ``collect(limit:)`` or ``forEach(_:)``. A cursor reads the
/// trees as it goes (a damaged or missing block surfaces as a ``GraphError`` from the call that
/// reached it), and is used by one thread at a time.
///
/// ```swift
/// var scan = try snapshot.nodes(label: "Observation")
/// while let id = try scan.next() { print(id) }
/// ```
public protocol GraphCursor {
    /// What the cursor yields.
    associatedtype Element

    /// The next element, or nil after the last.
    mutating func next() throws(GraphError) -> Element?
}

extension GraphCursor {
    /// Every remaining element, up to `limit`.
    public mutating func collect(limit: Int = .max) throws(GraphError) -> [Element] {
        var out: [Element] = []
        while out.count < limit, let element = try next() { out.append(element) }
        return out
    }

    /// Calls `body` with every remaining element, in order. A ``GraphError`` from the scan, or
    /// any error from `body`, stops it and is thrown as it is.
    public mutating func forEach(_ body: (Element) throws -> Void) throws {
        while let element = try next() { try body(element) }
    }
}
