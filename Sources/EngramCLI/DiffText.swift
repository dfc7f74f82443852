import Engram
import EngramIPLD

/// The human form of a graph diff (`engram diff`, `engram show`): one line per node or edge,
/// `+` added, `-` removed, `~` changed with its fields; ids and endpoints as UUIDs.
enum DiffText {
    static func print(_ diff: GraphDiff) {
        for c in diff.nodes {
            switch c {
            case .added(let n): line("+", "node \(n.id) \(HumanFormat.visible(n.label)) \(GraphJSON.text(.map(n.props)))", .green)
            case .removed(let n): line("-", "node \(n.id) \(HumanFormat.visible(n.label))", .red)
            case .changed(_, let n, let f): line("~", "node \(n.id) \(fields(f))", .yellow)
            }
        }
        for c in diff.edges {
            switch c {
            case .added(let e): line("+", "edge \(e.id) \(e.src) \(HumanFormat.visible(e.label)) \(e.dst)", .green)
            case .removed(let e): line("-", "edge \(e.id) \(e.src) \(HumanFormat.visible(e.label)) \(e.dst)", .red)
            case .changed(_, let e, let f): line("~", "edge \(e.id) \(fields(f))", .yellow)
            }
        }
    }

    private static func line(_ mark: String, _ text: String, _ colour: HumanFormat.Colour) {
        Swift.print(HumanFormat.paint(mark + " " + text, colour))
    }

    /// `field: old -> new`, endpoints (`src`, `dst`) as UUIDs rather than their bytes.
    static func fields(_ list: [FieldChange]) -> String {
        list.map { f in "\(f.field): \(value(f.field, f.old)) -> \(value(f.field, f.new))" }.joined(separator: ", ")
    }

    static func value(_ field: Field, _ v: IPLD?) -> String {
        guard let v else { return "(absent)" }
        switch field {
        case .src, .dst:
            if let id = v.bytesValue.flatMap({ EntityID(bytes: $0) }) { return id.description }
        default: break
        }
        return GraphJSON.text(v)
    }
}
