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

/// Per-field settlements of merge conflicts (`engram merge --resolve <id>.<prop>=...`): each
/// names one field of one node or edge. A merge settles a field conflict it names this way and
/// leaves the others to its ``MergePolicy``; a settlement that names no conflict fails the merge
/// (a misspelt id or property would otherwise be ignored).
public struct MergeResolutions: Sendable, Hashable {
    struct Key: Hashable, Sendable {
        var entity: EntityRef
        var field: Field
    }

    var choices: [Key: FieldResolution] = [:]

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

    /// The settlement of `field` of `entity`, if any.
    public func resolution(_ entity: EntityRef, _ field: Field) -> FieldResolution? {
        choices[Key(entity: entity, field: field)]
    }

    /// Whether nothing is settled.
    public var isEmpty: Bool { choices.isEmpty }

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
