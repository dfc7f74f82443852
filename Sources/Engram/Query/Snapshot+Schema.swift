import EngramIPLD
import EngramProlly

/// What a graph holds, by kind: node labels with their counts and property names, edge labels.
public struct GraphSchema: Sendable, Hashable {
    /// A property name of a label, and how many nodes of the label hold an indexable value for it.
    public struct Property: Sendable, Hashable {
        public var name: String
        public var count: UInt64
    }

    /// A node label, its node count, and its property names in name order.
    public struct Label: Sendable, Hashable {
        public var label: String
        public var count: UInt64
        public var properties: [Property]
    }

    /// An edge label and its edge count (among the edges scanned).
    public struct EdgeLabel: Sendable, Hashable {
        public var label: String
        public var count: UInt64
    }

    public var labels: [Label] = []
    public var edgeLabels: [EdgeLabel] = []
    /// False when the edges were more than the scan limit: edge labels are then those seen first.
    public var edgeLabelsComplete = true
}

extension GraphSnapshot {
    /// The schema of the graph. Node labels and property names come from the labels and props
    /// indexes by one seek per distinct label or (label, name), with counts from the trees'
    /// counts; property names are those with a value the props index holds (lists, maps and
    /// links are not indexed). Edge labels need a scan of the out index: at most `edgeScanLimit`
    /// edges are read.
    public func schema(edgeScanLimit: Int = 100_000) throws(GraphError) -> GraphSchema {
        let index = try queryableIndex()
        var schema = GraphSchema()
        var labelKey: [UInt8]? = nil
        while true {
            var scan = try GraphError.tree { () throws(ProllyError) in try index.labels.entries(from: labelKey, to: nil) }
            guard let entry = try GraphError.tree({ () throws(ProllyError) in try scan.next() }) else { break }
            let label = try IndexKeys.decodeLabel(entry.key).label
            schema.labels.append(GraphSchema.Label(label: label, count: try count(label: label),
                                                   properties: try propertyNames(of: label, in: index)))
            labelKey = KeyOrder.prefixEnd(IndexKeys.label(label))
            if labelKey == nil { break }
        }
        var counts: [String: UInt64] = [:]
        var scanned = 0
        var edges = try GraphError.tree { () throws(ProllyError) in try index.out.entries(from: nil, to: nil) }
        while let entry = try GraphError.tree({ () throws(ProllyError) in try edges.next() }) {
            if scanned == edgeScanLimit {
                schema.edgeLabelsComplete = false
                break
            }
            scanned += 1
            counts[try IndexKeys.decodeAdjacency(entry.key).label, default: 0] += 1
        }
        schema.edgeLabels = counts.sorted { ExactText.precedes($0.key, $1.key) }.map { GraphSchema.EdgeLabel(label: $0.key, count: $0.value) }
        return schema
    }

    func propertyNames(of label: String, in index: IndexTrees) throws(GraphError) -> [GraphSchema.Property] {
        let labelPrefix = IndexKeys.label(label)
        let labelEnd = KeyOrder.prefixEnd(labelPrefix)
        var out: [GraphSchema.Property] = []
        var from: [UInt8]? = labelPrefix
        while let lower = from {
            var scan = try GraphError.tree { () throws(ProllyError) in try index.props.entries(from: lower, to: labelEnd) }
            guard let entry = try GraphError.tree({ () throws(ProllyError) in try scan.next() }) else { break }
            let name = try IndexKeys.decodeProp(entry.key).name
            let prefix = try IndexKeys.prop(label, name)
            let end = KeyOrder.prefixEnd(prefix)
            let n = try GraphError.tree { () throws(ProllyError) in try index.props.count(from: prefix, to: end) }
            out.append(GraphSchema.Property(name: name, count: n))
            from = end
        }
        return out
    }
}
