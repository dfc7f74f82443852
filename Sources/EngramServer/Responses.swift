import EngramHTTPWire
import EngramSync
import Hummingbird
import NIOCore

/// The responses the sync routes send.
enum Responses {
    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An error as its status and its wire body (SPEC.md 9.5).
    static func error(_ error: SyncError) -> Response {
        bytes(error.encodeForWire(), contentType: SyncHTTP.errorContentType, status: .init(code: error.httpStatus))
    }

    /// A request body over a limit: 413 or 408, with the same error body as a malformed
    /// message. The rest of the body is not read: once the answer is written the connection
    /// is closed, so a client that keeps sending cannot keep the server reading.
    static func error(_ violation: BodyLimitError, closing channel: any Channel) -> Response {
        let error = SyncError.malformedMessage(what: "request body", reason: violation.description)
        let bytes = ByteBuffer(bytes: error.encodeForWire())
        let body = ResponseBody(contentLength: bytes.readableBytes) { writer in
            try await writer.write(bytes)
            try await writer.finish(nil)
            channel.close(mode: .all, promise: nil)
        }
        return Response(status: .init(code: violation.httpStatus),
                        headers: [.contentType: SyncHTTP.errorContentType, .connection: "close"], body: body)
    }
}
