import Foundation
import Hummingbird
import MCP
import ServiceLifecycle

/// Between Hummingbird's requests and responses and the SDK's framework-free ones.
enum MCPResponse {
    /// The request's header fields, a repeated field's values joined by commas (RFC 9110 5.3).
    static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        return headers
    }

    /// The SDK's response as Hummingbird's; a stream of server-sent events is written as the
    /// session produces it, and ends when the client goes or the session does. When the server
    /// begins to shut down, `onShutdown` runs (it ends the sessions): a session's notification
    /// stream lasts as long as the session, and the server would wait for it forever.
    static func hummingbird(_ response: MCP.HTTPResponse, onShutdown: @escaping @Sendable () -> Void = {}) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPFields.Element.Name(name) { fields[name] = value }
        }
        let body: ResponseBody
        switch response {
        case .stream(let events, _):
            body = ResponseBody { writer in
                try await withGracefulShutdownHandler {
                    for try await event in events { try await writer.write(ByteBuffer(bytes: event)) }
                } onGracefulShutdown: {
                    onShutdown()
                }
                try await writer.finish(nil)
            }
        default:
            body = response.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
        }
        return Response(status: .init(code: response.statusCode), headers: fields, body: body)
    }
}
