import MCP

/// JSON Schema pieces of the tools' input schemas.
enum Schema {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
         "additionalProperties": false]
    }

    static func string(_ description: String) -> Value { ["type": "string", "description": .string(description)] }

    static func choice(_ values: [String], _ description: String) -> Value {
        ["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(description)]
    }

    static func integer(_ description: String, minimum: Int, maximum: Int) -> Value {
        ["type": "integer", "minimum": .int(minimum), "maximum": .int(maximum), "description": .string(description)]
    }

    static func boolean(_ description: String) -> Value { ["type": "boolean", "description": .string(description)] }

    static func array(_ items: Value, _ description: String) -> Value {
        ["type": "array", "items": items, "description": .string(description)]
    }

    static func properties(_ description: String) -> Value { ["type": "object", "description": .string(description)] }

    static let anyValue: Value = ["description": "Any JSON value (DAG-JSON: {\"/\": \"<cid>\"} is a link, {\"/\": {\"bytes\": \"<base64>\"}} bytes)."]

    static let id = string("A node or edge id (a UUID, as returned by engram_remember, engram_query or engram_neighbors).")

    static let at = string("Read the graph as of this revision instead of now: a commit CID, a branch name or HEAD, "
                           + "optionally followed by ~N (N first parents back), e.g. 'HEAD~3' or 'main~1'. Default: HEAD.")

    /// The arguments every paginated list takes.
    static let page: [String: Value] = [
        "cursor": string("The next_cursor of the previous page, to continue a list (it pins the revision the first page read)."),
        "limit": integer("At most this many items per page (default 100).", minimum: 1, maximum: 10_000),
        "max_bytes": integer("About this many bytes of JSON per page (default 65536).", minimum: 256, maximum: 16 << 20),
        "max_value_bytes": integer("Property values longer than this (as JSON, default 4096) come back as {\"engram_large_value\": {cid, property, bytes}}; fetch them with engram_fetch.",
                                   minimum: 16, maximum: 16 << 20),
    ]

    /// The arguments every writing tool takes.
    static let commit: [String: Value] = [
        "branch": string("The branch to commit to (default: the branch HEAD names). Another process committing to it meanwhile is merged in automatically, or reported as conflicts."),
        "message": string("The commit message: why this change was made."),
        "author": string("Who makes the change (default: the server's author)."),
        "agent": string("The agent making the change (default: the MCP client's name)."),
    ]

    static func merging(_ a: [String: Value], _ b: [String: Value]) -> [String: Value] { a.merging(b) { x, _ in x } }
}
