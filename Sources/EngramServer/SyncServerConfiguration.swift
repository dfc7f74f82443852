import EngramSync

/// How `engram serve` listens, whom it lets in and how much it reads (SPEC.md 9.6).
public struct SyncServerConfiguration: Sendable {
    /// The address to bind (loopback by default: exposing a repository is a choice).
    public var host: String
    /// The port to bind (0: any free port).
    public var port: Int
    /// The bearer token a push must present. With none, pushes are refused unless
    /// ``allowsUnauthenticatedPush`` is set.
    public var writeToken: String?
    /// The bearer token refs and fetch must present (the write token is accepted too). With
    /// none, anyone who reaches the server may read.
    public var readToken: String?
    /// Accept pushes without a token when no ``writeToken`` is configured (`--no-auth`).
    public var allowsUnauthenticatedPush: Bool
    /// The largest push body read (1 GiB by default); the push is refused (413) once the body
    /// passes it, without reading the rest.
    public var maxPushBodyBytes: Int
    /// A connection whose request stays silent this long (mid-body included) is closed.
    public var idleTimeoutSeconds: Int
    /// A request body still arriving after this long is refused, however slowly it drips.
    public var maxBodySeconds: Int
    /// What the receiver of a push enforces (block size, block count, bytes).
    public var limits: SyncLimits

    public init(host: String = "127.0.0.1", port: Int = 7420, writeToken: String? = nil, readToken: String? = nil,
                allowsUnauthenticatedPush: Bool = false, maxPushBodyBytes: Int = 1 << 30, idleTimeoutSeconds: Int = 30,
                maxBodySeconds: Int = 3600, limits: SyncLimits = .default) {
        self.host = host
        self.port = port
        self.writeToken = writeToken
        self.readToken = readToken
        self.allowsUnauthenticatedPush = allowsUnauthenticatedPush
        self.maxPushBodyBytes = maxPushBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxBodySeconds = maxBodySeconds
        self.limits = limits
    }
}
