import EngramHTTPWire
import EngramSync
import Hummingbird

/// The responses the sync routes send.
enum Responses {
    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An error as its status and its wire body (SPEC.md 9.5).
    static func error(_ error: SyncError) -> Response {
        bytes(error.encodeForWire(), contentType: SyncHTTP.errorContentType, status: .init(code: error.httpStatus))
    }

    /// A request body over a limit: 413 or 408, with the same error body as a malformed message.
    static func error(_ violation: BodyLimitError) -> Response {
        let error = SyncError.malformedMessage(what: "request body", reason: violation.description)
        var response = bytes(error.encodeForWire(), contentType: SyncHTTP.errorContentType, status: .init(code: violation.httpStatus))
        // Whatever the client still sends is not read: it should not reuse the connection.
        response.headers[.connection] = "close"
        return response
    }
}
