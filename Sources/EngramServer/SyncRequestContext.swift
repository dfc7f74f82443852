import Hummingbird
import NIOCore

/// The request context of the sync routes: Hummingbird's, and the connection, so a route can
/// drop a client it stopped listening to.
public struct SyncRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Protocol messages are read by the routes themselves, under their own limits.
    public var maxUploadSize: Int { 0 }
}
