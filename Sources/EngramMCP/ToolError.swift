import Engram

/// A tool call that cannot be carried out: the message names the argument or object at fault so
/// that an agent can correct its call. It becomes an MCP tool result with `isError` set; the
/// server keeps serving.
public struct ToolError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// A library error as the agent should read it (the library's messages name the object).
    static func wrapping(_ error: any Error) -> ToolError {
        if let tool = error as? ToolError { return tool }
        if let graph = error as? GraphError { return ToolError("\(graph)") }
        return ToolError("\(error)")
    }
}
