import Engram
import EngramMCP
import Foundation
import Logging
import MCP

/// The MCP sessions of one `engram serve`: each is an ``EngramMCPServer`` on the SDK's
/// `StatefulHTTPServerTransport`, bound to the repository it was opened on. Every session of a
/// repository shares one ``RepositoryAccess`` (so their writes take turns), and the repository
/// is the one the sync routes serve (so tool commits and pushes move its refs by
/// compare-and-swap, never over each other).
///
/// The number of sessions is bounded: opening one past ``Limits/maxSessions`` ends the one
/// used least recently, and a session idle for ``Limits/idleSessionSeconds`` ends at the next
/// opening (its client gets 404 and opens another, as MCP says it should). So is what a session
/// holds: the SDK's transport keeps every message it sent in a session (to replay them to a
/// client that reconnects) until the session ends, so a session that has sent
/// ``Limits/maxReplyBytesPerSession`` ends once that message is delivered.
actor MCPSessions {
    struct Limits: Sendable {
        var maxSessions = 64
        var idleSessionSeconds: Double = 3600
        var maxReplyBytesPerSession = 256 << 20
    }

    struct Session {
        let server: EngramMCPServer
        let transport: StatefulHTTPServerTransport
        /// The repository's name in the path (nil: the single repository).
        let repository: String?
        var lastUsed: ContinuousClock.Instant
        /// What the session sent, which its transport keeps.
        var replyBytes = 0
    }

    let limits: Limits
    let author: String
    let logger: Logger
    private var sessions: [String: Session] = [:]
    /// One access per repository, made on the first session opened on it.
    private var accesses: [String: RepositoryAccess] = [:]

    init(limits: Limits = .init(), author: String = "engram-mcp", logger: Logger) {
        self.limits = limits
        self.author = author
        self.logger = logger
    }

    /// Hands `request` (already authorized) to its session's transport, or opens a session
    /// when it is an `initialize` request without one.
    func handle(_ request: MCP.HTTPRequest, repositoryName: String?, repository: @Sendable () throws -> Repository) async -> MCP.HTTPResponse {
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id], session.repository == repositoryName else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no MCP session '\(id.prefix(100))' (it ended or never was); initialize a new one"))
            }
            session.lastUsed = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 { await end(id) }
            return counting(response, session: id)
        }
        let noSession = MCPError.invalidRequest("Bad Request: no \(HTTPHeaderName.sessionID) header (only an initialize request opens a session)")
        guard request.method.uppercased() == "POST" else { return .error(statusCode: 400, noSession) }
        switch Self.kind(of: request.body) {
        case .initialize: return await open(request, repositoryName: repositoryName, repository: repository)
        case .otherMessage: return .error(statusCode: 400, noSession)
        case .notAMessage: return .error(statusCode: 400, .parseError("the body is not a JSON-RPC message (a JSON object)"))
        }
    }

    private func open(_ request: MCP.HTTPRequest, repositoryName: String?, repository: @Sendable () throws -> Repository) async -> MCP.HTTPResponse {
        let access: RepositoryAccess
        do { access = try self.access(repositoryName, repository) } catch {
            return .error(statusCode: 404, .invalidRequest("Not Found: \(error)"))
        }
        await endIdleSessions()
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), logger: logger)
        let server = EngramMCPServer(access: access, logger: logger)
        do { try await server.start(transport: transport) } catch {
            await server.stop()
            return .error(statusCode: 500, .internalError("the MCP session could not start: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, repository: repositoryName, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response { await end(id) }
        logger.info("mcp session opened", metadata: ["session": "\(id)", "sessions": "\(sessions.count)"])
        return response
    }

    private func access(_ name: String?, _ repository: @Sendable () throws -> Repository) throws -> RepositoryAccess {
        let key = name ?? ""
        if let access = accesses[key] { return access }
        let access = RepositoryAccess(sharing: try repository(), author: author)
        accesses[key] = access
        return access
    }

    /// Ends sessions idle for too long, and the least recently used while at the cap.
    private func endIdleSessions() async {
        let cutoff = ContinuousClock.now - .seconds(limits.idleSessionSeconds)
        for (id, session) in sessions where session.lastUsed < cutoff { await end(id) }
        while sessions.count >= max(limits.maxSessions, 1), let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            await end(oldest.key)
        }
    }

    /// `response`, its events counted against the session's reply budget as they are sent.
    private func counting(_ response: MCP.HTTPResponse, session id: String) -> MCP.HTTPResponse {
        guard case .stream(let events, let headers) = response else { return response }
        let (counted, continuation) = AsyncThrowingStream<Data, Swift.Error>.makeStream()
        let pump = Task {
            do {
                for try await event in events {
                    continuation.yield(event)
                    await sent(event.count, session: id)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return .stream(counted, headers: headers)
    }

    private func sent(_ bytes: Int, session id: String) async {
        guard var session = sessions[id] else { return }
        session.replyBytes = session.replyBytes.addingReportingOverflow(bytes).partialValue
        sessions[id] = session
        guard session.replyBytes > limits.maxReplyBytesPerSession || session.replyBytes < 0 else { return }
        logger.notice("mcp session ended: it sent more than the replies a session may keep",
                      metadata: ["session": "\(id)", "bytes": "\(session.replyBytes)", "limit": "\(limits.maxReplyBytesPerSession)"])
        await end(id)
    }

    private func end(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
        logger.info("mcp session ended", metadata: ["session": "\(id)"])
    }

    /// Ends every session (the server is stopping).
    func endAll() async {
        for id in sessions.keys { await end(id) }
    }

    enum BodyKind { case initialize, otherMessage, notAMessage }

    /// Whether `body` is one JSON-RPC `initialize` request, another message, or neither.
    static func kind(of body: Data?) -> BodyKind {
        guard let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return .notAMessage }
        return object["method"] as? String == "initialize" && object["id"] != nil ? .initialize : .otherMessage
    }

    /// The session id chosen before the transport exists, so the table and the transport agree.
    struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
