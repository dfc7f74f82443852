import Engram
import EngramIPLD
import EngramMCPHTTP
import EngramServer
import EngramStore
import EngramSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/mcp` in process (HummingbirdTesting): the tools write to the very repository the sync
/// routes serve, and what HTTP refuses is refused before a session exists.
struct HTTPRouteTests {
    static let token = "tøken-\u{1F511}".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "token"
    static let accept: HTTPFields = [.accept: "application/json, text/event-stream", .contentType: "application/json",
                                     .authorization: "Bearer \(token)"]
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#

    static func server(_ repository: Repository, maxBodyBytes: Int = 64 << 20,
                       configuration: SyncServerConfiguration = .init(writeToken: token)) -> SyncServer {
        SyncServer(endpoint: RepositoryEndpoint(repository: repository), configuration: configuration,
                   extensions: [MCPHTTPExtension(maxBodyBytes: maxBodyBytes)])
    }

    /// The JSON-RPC reply in a server-sent event stream (the `data:` line carrying an object).
    static func reply(_ body: ByteBuffer) throws -> [String: Any] {
        let text = String(buffer: body)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("data: {") }),
              let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] else {
            throw HTTPError(.internalServerError, message: "no reply in \(text.prefix(300))")
        }
        return object
    }

    static let sessionHeader = HTTPFields.Element.Name("Mcp-Session-Id")!

    /// Opens a session at `uri`; its id.
    static func initialize(_ client: some TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .post, headers: accept, body: ByteBuffer(string: initialize)) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let result = try reply(response.body)["result"] as? [String: Any]
            #expect((result?["serverInfo"] as? [String: Any])?["name"] as? String == "engram")
            return try #require(response.headers[sessionHeader])
        }
    }

    /// Calls `tool` in `session` at `uri`; the HTTP status and the tool's JSON result.
    static func call(_ client: some TestClientProtocol, _ uri: String, session: String, _ tool: String,
                     _ arguments: [String: Any]) async throws -> (HTTPResponse.Status, [String: Any]?) {
        var headers = accept
        headers[sessionHeader] = session
        let call: [String: Any] = ["jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": ["name": tool, "arguments": arguments]]
        let body = try JSONSerialization.data(withJSONObject: call)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            guard response.status == .ok else { return (response.status, nil) }
            let result = try #require(reply(response.body)["result"] as? [String: Any])
            #expect(result["isError"] as? Bool == false, "\(result)")
            let content = try #require((result["content"] as? [[String: Any]])?.first?["text"] as? String)
            return (response.status, try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any])
        }
    }

    @Test func aToolCallCommitsToTheServedRepositoryVisibleToSync() async throws {
        let repository = try Repository(store: MemoryBlockStore())
        let endpoint = RepositoryEndpoint(repository: repository)
        let name = "Zo\u{0065}\u{0301}\u{0000}é"  // NFD e + accent, a NUL, then NFC é
        try await Self.server(repository).application().test(.router) { client in
            let session = try await Self.initialize(client, "/mcp")
            let (status, result) = try await Self.call(client, "/mcp", session: session, "engram_remember",
                                                       ["nodes": [["label": "Person", "props": ["name": name]]], "message": "over http"])
            #expect(status == .ok)
            let commit = try #require(result?["commit"] as? String)
            // Read back through the library and the sync protocol, not through MCP.
            let head = try #require(try repository.head())
            #expect(head.description == commit)
            #expect(try repository.commit(head).message == "over http")
            let snapshot = try repository.snapshot(head)
            var scan = try snapshot.nodes(label: "Person")
            let ids = try scan.collect()
            #expect(try ids.map { try snapshot.node($0)?.props["name"] } == [.string(name)])
            #expect(try await endpoint.advertise().refs.map(\.1) == [head])
        }
    }

    /// Under `--root`, `/<name>/mcp` serves repository `<name>`; a session belongs to the
    /// repository it was opened on.
    @Test func underARootEachRepositoryHasItsOwnSessions() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-mcp-root-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try Repository.create(at: root + "/" + name + "/.engram").close()
        }
        let server = SyncServer(root: root, configuration: .init(writeToken: Self.token), extensions: [MCPHTTPExtension()])
        let commit = try await server.application().test(.router) { client in
            let session = try await Self.initialize(client, "/a/mcp")
            let arguments: [String: Any] = ["nodes": [["label": "Note", "props": ["text": "in a"]]]]
            let (status, result) = try await Self.call(client, "/a/mcp", session: session, "engram_remember", arguments)
            #expect(status == .ok)
            #expect(try await Self.call(client, "/b/mcp", session: session, "engram_remember", arguments).0 == .notFound)
            for uri in ["/nope/mcp", "/.engram/mcp", "/mcp"] {
                try await client.execute(uri: uri, method: .post, headers: Self.accept, body: ByteBuffer(string: Self.initialize)) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
            return result?["commit"] as? String
        }
        let a = try Repository.open(at: root + "/a/.engram", options: .init(readOnly: true))
        let b = try Repository.open(at: root + "/b/.engram", options: .init(readOnly: true))
        #expect(try a.head()?.description == commit && commit != nil)
        #expect(try b.head() == nil)
    }

    /// The SDK's transport keeps every reply of a session: a session past its reply budget ends
    /// once the reply that passed it is delivered.
    @Test func aSessionEndsAfterTheReplyThatPassesItsBudget() async throws {
        let repository = try Repository(store: MemoryBlockStore())
        let server = SyncServer(endpoint: RepositoryEndpoint(repository: repository), configuration: .init(writeToken: Self.token),
                                extensions: [MCPHTTPExtension(maxReplyBytesPerSession: 4096)])
        try await server.application().test(.router) { client in
            let session = try await Self.initialize(client, "/mcp")
            let text = String(repeating: "x", count: 2000)  // 2 KB of reply each time
            let arguments: [String: Any] = ["nodes": [["label": "Note", "props": ["text": text]]]]
            let (first, _) = try await Self.call(client, "/mcp", session: session, "engram_remember", arguments)
            #expect(first == .ok)
            let (id, node) = try #require(try await Self.remembered(repository))
            #expect(node == text)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await Self.call(client, "/mcp", session: session, "engram_get",
                                                    ["ids": [id], "max_value_bytes": 1 << 20]).0)
            }
            // Each reply carries the 2 KB text: the second get passes 4 KB and is still delivered.
            #expect(statuses == [.ok, .ok, .notFound, .notFound])
            let again = try await Self.initialize(client, "/mcp")
            #expect(try await Self.call(client, "/mcp", session: again, "engram_stats", [:]).0 == .ok)
        }
    }

    /// The one node of the head, and its text.
    static func remembered(_ repository: Repository) throws -> (String, String?)? {
        guard let head = try repository.head() else { return nil }
        let snapshot = try repository.snapshot(head)
        var scan = try snapshot.nodes(label: "Note")
        guard let id = try scan.collect().first else { return nil }
        return (id.description, try snapshot.node(id)?.props["text"]?.stringValue)
    }

    @Test func aBodyOverTheLimitGets413BeforeAnySession() async throws {
        let repository = try Repository(store: MemoryBlockStore())
        try await Self.server(repository, maxBodyBytes: 1024).application().test(.router) { client in
            let big = Self.initialize.replacingOccurrences(of: "\"t\"", with: "\"" + String(repeating: "é", count: 1000) + "\"")
            try await client.execute(uri: "/mcp", method: .post, headers: Self.accept, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
                let error = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(((error?["error"] as? [String: Any])?["message"] as? String)?.contains("1024-byte limit") == true)
            }
        }
        #expect(try repository.head() == nil)
    }

    /// A server with no write token takes no MCP requests, whatever token is sent; one opened
    /// to anyone (`--no-auth`) takes them without.
    @Test func withoutAWriteTokenMCPFollowsThePushRule() async throws {
        let repository = try Repository(store: MemoryBlockStore())
        try await Self.server(repository, configuration: .init()).application().test(.router) { client in
            try await client.execute(uri: "/mcp", method: .post, headers: Self.accept, body: ByteBuffer(string: Self.initialize)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
        }
        try await Self.server(repository, configuration: .init(allowsUnauthenticatedPush: true)).application().test(.router) { client in
            var headers = Self.accept
            headers[.authorization] = nil
            try await client.execute(uri: "/mcp", method: .post, headers: headers, body: ByteBuffer(string: Self.initialize)) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
