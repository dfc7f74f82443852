import Hummingbird

/// The request context of the sync routes.
public struct SyncRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Protocol messages are read by the routes themselves, under their own limits.
    public var maxUploadSize: Int { 0 }
}
