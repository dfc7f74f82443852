import EngramIPLD

/// Which nodes a search lane (full text, vectors) or a recall may return.
///
/// Every condition must hold: the node's label is one of ``labels`` (any label when empty),
/// each property in ``properties`` equals its value as an equality query would (text as bytes,
/// numbers by value: 1 matches 1.0), and the node is valid at ``validAt``.
public struct NodeFilter: Sendable, Hashable {
    /// The labels allowed; empty allows every label.
    public var labels: [String]
    /// Properties that must be present with exactly these values.
    public var properties: [PropertyEquality]
    /// When the node must be valid (SPEC.md 7.10); ``ValidityTime/now`` by default.
    public var validAt: ValidityTime

    /// One property condition.
    public struct PropertyEquality: Sendable, Hashable {
        /// The property's name.
        public var name: String
        /// The value it must equal.
        public var value: IPLD
        /// Property `name` must equal `value`.
        public init(_ name: String, _ value: IPLD) {
            self.name = name
            self.value = value
        }
    }

    /// A filter on any of `labels` (empty: any label), every condition in `properties`, and validity at `validAt`.
    public init(labels: [String] = [], properties: [PropertyEquality] = [], validAt: ValidityTime = .now) {
        self.labels = labels
        self.properties = properties
        self.validAt = validAt
    }

    /// A filter that lets every node through, closed facts included.
    public static let everything = NodeFilter(validAt: .any)

    /// This filter with its validity time fixed to one instant, so that a search reading many
    /// nodes judges them all against the same clock reading.
    public func resolved() -> ResolvedNodeFilter {
        ResolvedNodeFilter(labels: labels, properties: properties, instant: validAt.instant())
    }
}

/// A ``NodeFilter`` whose "now" has been read once.
public struct ResolvedNodeFilter: Sendable {
    /// Any of these labels (empty: any).
    public let labels: [String]
    /// Property conditions, all required.
    public let properties: [NodeFilter.PropertyEquality]
    /// The instant validity is checked at; nil checks none.
    public let instant: Int64?

    /// Whether the filter looks at anything but the label.
    public var needsProperties: Bool { !properties.isEmpty || instant != nil }

    /// Whether `label` is allowed.
    public func allows(label: String) -> Bool {
        labels.isEmpty || labels.contains { ExactText.same($0, label) }
    }

    /// Whether `node` passes every condition.
    public func matches(_ node: Node) -> Bool {
        guard allows(label: node.label) else { return false }
        for p in properties where !GraphSnapshot.propertyMatches(node.props[p.name], p.value) { return false }
        return Validity.holds(node.props, at: instant)
    }
}
