import EngramCAR
import EngramHTTPWire
import EngramSync
import Hummingbird
import Logging

extension SyncServer {
    /// `GET /v1/refs`: the ref advertisement.
    func refs(_ request: Request, repository: String?) async -> Response {
        if let refused = authorize(request, write: false) { return refused }
        do throws(SyncError) {
            let advertisement = try await repositories.endpoint(named: repository).advertise()
            return Responses.bytes(advertisement.encode(), contentType: SyncHTTP.refsContentType)
        } catch {
            return Responses.error(error)
        }
    }

    /// `POST /v1/fetch`: a fetch request in, a CAR of the missing blocks streamed out as the
    /// endpoint yields them. A stream that fails midway cuts the response short: the client
    /// sees a truncated archive and resumes.
    func fetch(_ request: Request, context: SyncRequestContext, repository: String?) async -> Response {
        if let refused = authorize(request, write: false) { return refused }
        let body = LimitedBody(request.body, maxBytes: SyncHTTP.maxMessageBytes, maxSeconds: configuration.maxBodySeconds)
        var bytes: [UInt8] = []
        do {
            for try await chunk in body { bytes.append(contentsOf: chunk.readableBytesView) }
        } catch {
            if let violation = body.violation { return Responses.error(violation, closing: context.channel) }
            return Responses.error(.malformedMessage(what: "fetch request", reason: "the body could not be read: \(error)"))
        }
        let stream: BlockStream
        let fetchRequest: FetchRequest
        do throws(SyncError) {
            fetchRequest = try FetchRequest.decode(bytes)
            stream = try await repositories.endpoint(named: repository).fetch(fetchRequest)
        } catch {
            return Responses.error(error)
        }
        let chunks = CARChunks(roots: fetchRequest.wants, blocks: stream)
        let logger = context.logger
        let archive = ResponseBody { writer in
            var sent = 0
            do {
                for try await chunk in chunks {
                    try await writer.write(ByteBuffer(bytes: chunk))
                    sent += chunk.count
                }
            } catch {
                logger.warning("fetch cut short", metadata: ["bytes": "\(sent)", "error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
            logger.info("fetch sent", metadata: ["bytes": "\(sent)", "wants": "\(fetchRequest.wants.count)"])
        }
        return Response(status: .ok, headers: [.contentType: SyncHTTP.carContentType], body: archive)
    }

    /// `POST /v1/push`: varint length, push request, CAR. Blocks are parsed while the body
    /// streams and handed to the endpoint, which verifies them and applies the updates.
    func push(_ request: Request, context: SyncRequestContext, repository: String?) async -> Response {
        if let refused = authorize(request, write: true) { return refused }
        let endpoint: any SyncEndpoint
        do throws(SyncError) { endpoint = try repositories.endpoint(named: repository) } catch { return Responses.error(error) }
        let body = LimitedBody(request.body, maxBytes: configuration.maxPushBodyBytes, maxSeconds: configuration.maxBodySeconds)
        var framing = PushBody(body.makeAsyncIterator())
        let pushRequest: PushRequest
        do {
            pushRequest = try await framing.readRequest(maxMessageBytes: SyncHTTP.maxMessageBytes)
        } catch {
            if let violation = body.violation { return Responses.error(violation, closing: context.channel) }
            return Responses.error(error as? SyncError ?? .malformedMessage(what: "push body", reason: "\(error)"))
        }
        let blocks = CARBlocks.stream(reading: framing.archive(), roots: pushRequest.updates.map(\.new),
                                      limits: CARLimits(maxBlockLength: configuration.limits.maxBlockBytes)) { error in
            .malformedMessage(what: "push body", reason: "\(error)")
        }
        let result: PushResult
        do throws(SyncError) {
            result = try await endpoint.push(pushRequest, blocks: blocks)
        } catch {
            if let violation = body.violation { return Responses.error(violation, closing: context.channel) }
            context.logger.info("push refused", metadata: ["error": "\(error)"])
            return Responses.error(error)
        }
        context.logger.info("push", metadata: ["applied": "\(result.applied)", "received": "\(result.received)"])
        return Responses.bytes(result.encode(), contentType: SyncHTTP.pushResultContentType,
                               status: result.applied ? .ok : .preconditionFailed)
    }

    /// nil when the request may proceed, else the 401 to send. Pushes need the write token
    /// (or `allowsUnauthenticatedPush`); reads need the read token when one is set (the write
    /// token also reads).
    func authorize(_ request: Request, write: Bool) -> Response? {
        guard let reason = authorizationFailure(request, write: write) else { return nil }
        var response = Responses.error(.unauthorized(reason))
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    /// nil when the request may proceed, else why not.
    func authorizationFailure(_ request: Request, write: Bool) -> String? {
        let given = BearerToken.fromHeader(request.headers[.authorization])
        let accepted: Bool
        let reason: String
        if write {
            if let token = configuration.writeToken {
                accepted = given.map { BearerToken.matches($0, token) } ?? false
                reason = given == nil ? "a push needs the write token" : "the token does not allow pushes"
            } else {
                accepted = configuration.allowsUnauthenticatedPush
                reason = "this server takes no pushes (it has no write token)"
            }
        } else if let token = configuration.readToken {
            let tokens = [token] + (configuration.writeToken.map { [$0] } ?? [])
            // Both are compared, whichever matches, so the time does not tell which one did.
            accepted = given.map { g in tokens.map { BearerToken.matches(g, $0) }.contains(true) } ?? false
            reason = given == nil ? "reading needs a token" : "the token is not valid"
        } else {
            return nil
        }
        return accepted ? nil : reason
    }
}
