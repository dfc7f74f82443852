import EngramIPLD

/// A node or edge seen as a map of fields, for three-way merging field by field.
protocol FieldMergeable {
    var fields: [Field: IPLD] { get }
    /// This object with its fields replaced by `fields` (which hold every required one).
    func with(fields: [Field: IPLD]) -> Self
}

extension Node: FieldMergeable {
    var fields: [Field: IPLD] {
        var out: [Field: IPLD] = [.label: .string(label)]
        for (k, v) in props { out[.prop(k)] = v }
        for u in unknown { out[.unknown(u.key)] = .bytes(u.value) }
        return out
    }

    func with(fields: [Field: IPLD]) -> Node {
        var node = Node(id: id, label: fields[.label]?.stringValue ?? label)
        node.props = IPLDMap(uniqueKeysWithValues: fields.compactMap { f, v in if case .prop(let k) = f { (k, v) } else { nil } })
        node.unknown = unknownFields(fields)
        return node
    }
}

extension Edge: FieldMergeable {
    var fields: [Field: IPLD] {
        var out: [Field: IPLD] = [.label: .string(label), .src: .bytes(src.bytes), .dst: .bytes(dst.bytes)]
        for (k, v) in props { out[.prop(k)] = v }
        for u in unknown { out[.unknown(u.key)] = .bytes(u.value) }
        return out
    }

    func with(fields: [Field: IPLD]) -> Edge {
        var edge = self
        edge.label = fields[.label]?.stringValue ?? label
        edge.src = fields[.src]?.bytesValue.flatMap { EntityID(bytes: $0) } ?? src
        edge.dst = fields[.dst]?.bytesValue.flatMap { EntityID(bytes: $0) } ?? dst
        edge.props = IPLDMap(uniqueKeysWithValues: fields.compactMap { f, v in if case .prop(let k) = f { (k, v) } else { nil } })
        edge.unknown = unknownFields(fields)
        return edge
    }
}

func unknownFields(_ fields: [Field: IPLD]) -> [UnknownField] {
    fields.compactMap { f, v -> UnknownField? in
        if case .unknown(let k) = f, let raw = v.bytesValue { UnknownField(key: k, value: raw) } else { nil }
    }.sorted { IPLDMap.keyPrecedes($0.key, $1.key) }
}

/// Merges three versions of an object field by field: a field changed on one side takes that
/// side's value; a field changed on both sides to different values is a conflict, settled by
/// `resolutions` when they name it (reported in `settled`), else by `policy` (ours is kept
/// unless it is ``MergePolicy/theirs``) and reported in `conflicts`.
func mergeFields<T: FieldMergeable>(base: T?, ours: T, theirs: T, entity: EntityRef, policy: MergePolicy,
                                    resolutions: MergeResolutions = MergeResolutions())
    -> (merged: T, conflicts: [MergeConflict], settled: [MergeConflict])
{
    let b = base?.fields ?? [:], o = ours.fields, t = theirs.fields
    var merged = o
    var conflicts: [MergeConflict] = [], settled: [MergeConflict] = []
    for field in Set(o.keys).union(t.keys).union(b.keys).sorted() {
        let bv = b[field], ov = o[field], tv = t[field]
        if ov == tv || tv == bv { continue }
        if ov == bv {
            merged[field] = tv
            continue
        }
        let conflict = MergeConflict(entity: entity, kind: .field(field, base: bv, ours: ov, theirs: tv))
        if let resolution = resolutions.resolution(entity, field) {
            merged[field] = MergeResolutions.value(resolution, ours: ov, theirs: tv)
            settled.append(conflict)
            continue
        }
        conflicts.append(conflict)
        if policy == .theirs { merged[field] = tv }
    }
    return (ours.with(fields: merged), conflicts, settled)
}
