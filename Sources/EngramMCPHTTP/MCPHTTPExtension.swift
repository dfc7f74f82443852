import EngramServer
import Foundation
import Hummingbird
import Logging
import MCP

/// The MCP server over Streamable HTTP, as routes of `engram serve`: `POST`, `GET` and `DELETE`
/// on `/mcp` (`/<repository>/mcp` when serving a root of repositories), using the SDK's
/// `StatefulHTTPServerTransport` (responses as server-sent events, sessions by
/// `Mcp-Session-Id`).
///
/// Every request needs the token pushes need (tools write): without it the answer is 401 with
/// `WWW-Authenticate: Bearer`, before the body is read or a session looked up.
///
/// ```swift
/// let server = SyncServer(endpoint: RepositoryEndpoint(repository: repo),
///                         configuration: .init(writeToken: token), extensions: [MCPHTTPExtension()])
/// ```
public struct MCPHTTPExtension: SyncServerExtension {
    /// The route's last path component.
    public static let path = "mcp"

    /// The largest request body read (a JSON-RPC message): larger ones get 413.
    public var maxBodyBytes: Int
    let sessions: MCPSessions

    /// - Parameters:
    ///   - author: the author of commits whose tool call names none.
    ///   - maxSessions: at most this many sessions at once (opening another ends the least recently used).
    ///   - idleSessionSeconds: a session unused this long ends.
    ///   - maxReplyBytesPerSession: a session that sent this much ends (the SDK's transport keeps
    ///     every message a session sent, for a client that reconnects, until the session ends).
    public init(author: String = "engram-mcp", maxBodyBytes: Int = 64 << 20, maxSessions: Int = 64, idleSessionSeconds: Double = 3600,
                maxReplyBytesPerSession: Int = 256 << 20, logger: Logger = Logger(label: "engram.serve.mcp")) {
        self.maxBodyBytes = maxBodyBytes
        let limits = MCPSessions.Limits(maxSessions: maxSessions, idleSessionSeconds: idleSessionSeconds,
                                        maxReplyBytesPerSession: maxReplyBytesPerSession)
        sessions = MCPSessions(limits: limits, author: author, logger: logger)
    }

    public func addRoutes(to router: Router<SyncRequestContext>, server: SyncServer) {
        for prefix in ["", "/:repo"] {
            let path = RouterPath(stringLiteral: prefix + "/" + Self.path)
            let handler: @Sendable (Request, SyncRequestContext) async -> Response = { request, context in
                await handle(request, repository: context.parameters.get("repo"), server: server)
            }
            router.post(path, use: handler)
            router.get(path, use: handler)
            router.delete(path, use: handler)
        }
    }

    func handle(_ request: Request, repository name: String?, server: SyncServer) async -> Response {
        if let refusal = server.writeRefusal(request) {
            return MCPResponse.hummingbird(.error(statusCode: 401, .invalidRequest("Unauthorized: \(refusal)"),
                                                  extraHeaders: ["WWW-Authenticate": "Bearer"]))
        }
        var body: Data?
        if request.method == .post {
            do {
                body = Data(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {  // NIOTooManyBytesError
                return MCPResponse.hummingbird(.error(statusCode: 413, .invalidRequest("the request body is over the \(maxBodyBytes)-byte limit"),
                                                      extraHeaders: ["Connection": "close"]))
            } catch {
                return MCPResponse.hummingbird(.error(statusCode: 400, .parseError("the request body could not be read: \(error)")))
            }
        }
        let mcpRequest = MCP.HTTPRequest(method: request.method.rawValue, headers: MCPResponse.headers(of: request), body: body,
                                         path: request.uri.path)
        let response = await sessions.handle(mcpRequest, repositoryName: name) { try server.repository(named: name) }
        return MCPResponse.hummingbird(response) { [sessions] in Task { await sessions.endAll() } }
    }
}
