import EngramIPLD

/// A CAR archive's header: the roots it was written for.
///
/// A CARv1 header is `varint(length)` followed by the DAG-CBOR map
/// `{"roots": [links...], "version": 1}`. For a CARv2, ``version`` is 2 and ``roots`` are those of
/// the CARv1 payload it wraps.
public struct CARHeader: Hashable, Sendable {
    /// The roots, in the order the header lists them (possibly none).
    public var roots: [CID]
    /// 1 for a CARv1, 2 for a CARv1 read out of a CARv2.
    public var version: Int

    /// A header for `roots`.
    public init(roots: [CID], version: Int = 1) {
        self.roots = roots
        self.version = version
    }

    /// The CARv1 header's bytes: its length varint, then the DAG-CBOR map.
    public func encoded() throws(CARError) -> [UInt8] {
        let map: IPLDMap = ["roots": .list(roots.map { .link($0) }), "version": .int(1)]
        let body: [UInt8]
        // Links and a small integer always encode; the catch only keeps the types honest.
        do { body = try DAGCBOR.encode(.map(map)) } catch { throw .headerNotDAGCBOR(error) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + Varint.maxLength)
        do { try Varint.write(UInt64(body.count), into: &out) } catch {
            throw .headerTooLarge(length: UInt64.max, limit: Int.max)
        }
        out.append(contentsOf: body)
        return out
    }
}

/// What the first DAG-CBOR map of an archive says.
enum ParsedHeader: Equatable {
    /// A CARv1 header.
    case v1(roots: [CID])
    /// The CARv2 pragma `{"version": 2}`: the fixed header follows.
    case v2Pragma
}

extension ParsedHeader {
    /// Reads a header map from `body` (the bytes its length varint counts), which starts at
    /// `offset` in the archive.
    static func parse(_ body: UnsafeRawBufferPointer, offset: Int, limits: CARLimits) throws(CARError) -> ParsedHeader {
        // The caller checked the length against the header limit; the codec's own cap must not be lower.
        var reader = DAGCBORReader(buffer: body, limits: DAGCBORLimits(maxSize: max(body.count, 1)))
        let value: IPLD
        do { value = try reader.readValue() } catch { throw .headerNotDAGCBOR(error) }
        guard reader.isAtEnd else { throw .trailingBytes(.header, offset: offset + reader.offset) }
        guard case .map(let map) = value else { throw .invalidHeader(reason: "a \(value.kind), not a map") }
        guard let version = map["version"] else { throw .unsupportedVersion("(none)") }
        switch version.integerValue?.int64 {
        case 1: break
        case 2 where map["roots"] == nil: return .v2Pragma
        default: throw .unsupportedVersion(version.integerValue.map { "\($0)" } ?? "of kind \(version.kind)")
        }
        guard let rootsValue = map["roots"] else { throw .missingRoots }
        guard case .list(let list) = rootsValue else { throw .invalidHeader(reason: "roots is a \(rootsValue.kind), not a list") }
        guard list.count <= limits.maxRoots else {
            throw .invalidHeader(reason: "\(list.count) roots, over the limit of \(limits.maxRoots)")
        }
        var roots: [CID] = []
        roots.reserveCapacity(list.count)
        for (index, root) in list.enumerated() {
            guard case .link(let cid) = root else { throw .invalidHeader(reason: "root \(index) is a \(root.kind), not a link") }
            roots.append(cid)
        }
        return .v1(roots: roots)
    }
}
