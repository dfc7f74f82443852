import Hummingbird
import Logging

/// One structured log line per request: method, path, repository, status, response bytes
/// (when known before streaming) and time to the response head. A streamed fetch logs its
/// own line when its body ends.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    let logger: Logger
    let multiple: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let path = request.uri.path
        var metadata: Logger.Metadata = [
            "method": "\(request.method)", "path": "\(path)", "status": "\(response.status.code)",
            "duration_ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ]
        if let length = response.body.contentLength { metadata["bytes"] = "\(length)" }
        if multiple, let name = path.split(separator: "/").first, path.contains("/v1/") { metadata["repo"] = "\(name)" }
        logger.info("request", metadata: metadata)
        return response
    }
}
