import EngramIPLD

/// How one conflicting field of a merge is settled.
public enum FieldResolution: Sendable, Hashable {
    /// Keep our value.
    case ours
    /// Take their value.
    case theirs
    /// Use this value (nil: remove the property). A label takes text only; `src`, `dst` and
    /// unknown fields take no value.
    case value(IPLD?)
}

/// Settlements of merge conflicts, one by one: per field (`engram merge --resolve <id>.<prop>=...`)
/// or per node or edge (`--resolve <id>=ours|theirs`), the only way to settle the conflicts that
/// are not about a field (removed on one side and changed on the other, an edge at a removed
/// node). A merge settles a conflict named this way and leaves the others to its
/// ``MergePolicy``; a settlement that names no conflict fails the merge (a misspelt id or
/// property would otherwise be ignored).
public struct MergeResolutions: Sendable, Hashable {
    struct Key: Hashable, Sendable {
        var entity: EntityRef
        var field: Field
    }

    var choices: [Key: FieldResolution] = [:]
    var sides: [EntityRef: MergeSide] = [:]

    public init() {}

    /// Settles `field` of `entity` by `resolution` (a later call for the same field wins).
    public mutating func resolve(_ entity: EntityRef, _ field: Field, _ resolution: FieldResolution) throws(GraphError) {
        if case .value(let v) = resolution {
            switch field {
            case .prop: break
            case .label: guard v?.stringValue != nil else { throw .invalidResolution("\(entity) label: a label is text") }
            case .src, .dst, .unknown: throw .invalidResolution("\(entity) \(field): only ours or theirs")
            }
        }
        choices[Key(entity: entity, field: field)] = resolution
    }

    /// Settles every conflict of `entity` by taking `side`'s version of it: its removal or its
    /// state, its field values (where no field settlement names the field), and for an edge at a
    /// node the other side removed, that side's choice (``MergeSide/ours`` drops their edge or
    /// keeps our node, ``MergeSide/theirs`` brings their node back or removes our edge). A node's
    /// settlement also settles the endpoint conflicts of edges at that node.
    public mutating func resolve(_ entity: EntityRef, _ side: MergeSide) {
        sides[entity] = side
    }

    /// The settlement of `field` of `entity`, if any: the field's own, else the entity's.
    public func resolution(_ entity: EntityRef, _ field: Field) -> FieldResolution? {
        if let choice = choices[Key(entity: entity, field: field)] { return choice }
        return sides[entity].map { $0 == .ours ? .ours : .theirs }
    }

    /// The side `entity` as a whole is settled by, if any.
    public func resolution(_ entity: EntityRef) -> MergeSide? {
        sides[entity]
    }

    /// Whether nothing is settled.
    public var isEmpty: Bool { choices.isEmpty && sides.isEmpty }

    /// The nodes and edges settled as a whole, in description order.
    public var entities: [EntityRef] {
        sides.keys.sorted { $0.description < $1.description }
    }

    /// The settled fields, by entity then field.
    public var fields: [(entity: EntityRef, field: Field)] {
        choices.keys.map { ($0.entity, $0.field) }.sorted { a, b in
            a.entity.description == b.entity.description ? a.field < b.field : a.entity.description < b.entity.description
        }
    }

    /// The value a settlement gives, from our and their values.
    static func value(_ resolution: FieldResolution, ours: IPLD?, theirs: IPLD?) -> IPLD? {
        switch resolution {
        case .ours: ours
        case .theirs: theirs
        case .value(let v): v
        }
    }
}
