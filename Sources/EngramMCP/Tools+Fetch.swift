import Engram
import EngramIPLD
import EngramProlly
import EngramStorage
import MCP

extension EngramTools {
    static let fetchTool = ToolSpec("engram_fetch", """
        Fetch a large value by CID: the 'cid' (and 'property') of an {"engram_large_value": ...} reference, or any \
        block's CID (a commit, node or edge). Returns the value as JSON text in slices of at most max_bytes: pass \
        next_offset back as 'offset' for the rest.
        """,
        ["cid": Schema.string("The block's CID."), "property": Schema.string("The node's or edge's property to return."),
         "offset": Schema.integer("Where the slice starts, in bytes of the JSON text.", minimum: 0, maximum: Int(Int32.max)),
         "max_bytes": Schema.integer("The largest slice (default 65536).", minimum: 256, maximum: 16 << 20)],
        required: ["cid"], readOnly: true) { tools, args throws(ToolError) in try tools.fetch(args) }

    func fetch(_ args: ToolArguments) throws(ToolError) -> IPLD {
        let text = try args.requiredString("cid")
        guard let cid = CID(text) else { throw ToolError("cid '\(text.prefix(100))' is not a CID") }
        let offset = try args.int("offset", default: 0, in: 0...Int(Int32.max))
        let maxBytes = try args.int("max_bytes", default: PageBounds.defaultMaxBytes, in: 256...PageBounds.largestMaxBytes)
        let repository = try access.read()
        let bytes: [UInt8]
        do {
            guard let b = try repository.store.get(cid) else { throw ToolError("no block \(cid) in this repository") }
            bytes = b
        } catch let error as ToolError { throw error } catch { throw .wrapping(error) }
        if let failure = cid.verificationFailure(bytes) { throw ToolError("block \(cid) is corrupt: \(failure)") }
        var value: IPLD
        do { value = try DAGCBOR.decode(bytes) } catch { throw ToolError("block \(cid) is not DAG-CBOR: \(error)") }
        if let property = try args.string("property") {
            guard let v = value["props"]?[property] else { throw ToolError("block \(cid) has no property '\(property.prefix(100))'") }
            value = v
        }
        let json = Array(JSONValues.text(value).utf8)
        guard offset <= json.count else { throw ToolError("offset \(offset) is past the value's end (\(json.count) bytes)") }
        var end = min(json.count, offset + maxBytes)
        // End the slice on a character boundary (never inside a UTF-8 sequence).
        while end < json.count, end > offset, json[end] & 0xC0 == 0x80 { end -= 1 }
        var m: IPLDMap = ["cid": .string(cid.description), "text": .string(String(decoding: json[offset..<end], as: UTF8.self)),
                          "offset": .int(offset), "total_bytes": .int(json.count)]
        if end < json.count { m["next_offset"] = .int(end) }
        return .map(m)
    }
}
