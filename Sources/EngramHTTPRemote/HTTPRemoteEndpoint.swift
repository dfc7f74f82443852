import AsyncHTTPClient
import EngramHTTPWire
import EngramIPLD
import EngramStorage
import EngramSync
import Foundation
import NIOCore
import NIOHTTP1

/// A repository behind `engram serve`, reached over HTTP (SPEC.md 9.6): `http://host:port`
/// for a server of one repository, `http://host:port/<repository>` for one of several.
///
/// Fetched archives are parsed and verified block by block as the response arrives; a push
/// body is written as the blocks are produced. Statuses come back as the ``SyncError`` the
/// server sent; connection failures as ``SyncError/transport(_:)`` naming the cause.
public struct HTTPRemoteEndpoint: SyncEndpoint {
    /// The URL the `/v1/` paths are appended to, without a trailing slash.
    public let baseURL: String
    /// The bearer token sent with every request.
    public let token: String?
    /// The longest one request may take, its body streaming included (a day by default: a
    /// stalled connection is caught sooner, by the client's 60-second read timeout).
    public let requestTimeout: Duration
    let client: HTTPClient

    /// - Throws: ``SyncError/transport(_:)`` when `url` is not an `http` or `https` URL with a host.
    public init(url: String, token: String? = nil, requestTimeout: Duration = .seconds(86_400)) throws(SyncError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty, parsed.query == nil, parsed.fragment == nil
        else { throw .transport("'\(url)' is not an http:// or https:// URL of a repository") }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.requestTimeout = requestTimeout
        self.client = SharedClient.client
    }

    public func advertise() async throws(SyncError) -> RefAdvertisement {
        let response = try await execute(request(SyncHTTP.refsPath, method: .GET))
        let body = try await collect(response)
        guard response.status == .ok else { throw failure(response, body) }
        return try RefAdvertisement.decode(body)
    }

    public func fetch(_ fetchRequest: FetchRequest) async throws(SyncError) -> BlockStream {
        var request = request(SyncHTTP.fetchPath, method: .POST)
        request.headers.add(name: "Content-Type", value: SyncHTTP.requestContentType)
        request.body = .bytes(fetchRequest.encode())
        let response = try await execute(request)
        guard response.status == .ok else { throw failure(response, try await collect(response)) }
        let url = baseURL
        return CARBlocks.stream(reading: response.body.map { $0.readableBytesView }, roots: fetchRequest.wants) { error in
            .transport(.cause(error, "the fetch response from \(url) was cut"))
        }
    }

    public func push(_ pushRequest: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        var request = request(SyncHTTP.pushPath, method: .POST)
        request.headers.add(name: "Content-Type", value: SyncHTTP.pushContentType)
        let archive = CARChunks(roots: pushRequest.updates.map(\.new), blocks: blocks)
        request.body = .stream(PushBodyChunks(prefix: SyncHTTP.pushPrefix(pushRequest), archive: archive), length: .unknown)
        let response = try await execute(request)
        let body = try await collect(response)
        switch response.status.code {
        case 200: return try PushResult.decode(body)
        case 412: if let result = try? PushResult.decode(body) { return result }
        default: break
        }
        throw failure(response, body)
    }

    private func request(_ path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    private func execute(_ request: HTTPClientRequest) async throws(SyncError) -> HTTPClientResponse {
        do {
            return try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(requestTimeout)))
        } catch let error as SyncError {
            // The blocks of a push failed on this side.
            throw error
        } catch {
            throw .transport(.cause(error, "\(request.method) \(request.url)"))
        }
    }

    /// A whole (small) response body: a message or an error.
    private func collect(_ response: HTTPClientResponse) async throws(SyncError) -> [UInt8] {
        do {
            let buffer = try await response.body.collect(upTo: SyncHTTP.maxMessageBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw .transport(.cause(error, "reading the response from \(baseURL)"))
        }
    }

    /// The error a refusal carries, or a transport error when the body is not one.
    private func failure(_ response: HTTPClientResponse, _ body: [UInt8]) -> SyncError {
        if response.headers.first(name: "Content-Type") == SyncHTTP.errorContentType {
            return SyncError.decodeFromWire(body)
        }
        return .transport("\(baseURL) answered HTTP \(response.status.code) \(response.status.reasonPhrase)")
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ attoseconds / 1_000_000_000
    }
}

/// Makes the endpoint of an `http://` or `https://` remote URL (for the CLI's remotes).
public func makeHTTPEndpoint(url: String, token: String?) throws -> any SyncEndpoint {
    try HTTPRemoteEndpoint(url: url, token: token)
}

/// Whether `url` names an HTTP remote rather than a directory.
public func isHTTPURL(_ url: String) -> Bool {
    let lower = url.lowercased()
    return lower.hasPrefix("http://") || lower.hasPrefix("https://")
}

/// One client for the process: connections are pooled across endpoints, and it lives as long
/// as the process (so it is never shut down).
enum SharedClient {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
