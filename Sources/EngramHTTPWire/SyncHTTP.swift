import EngramIPLD
import EngramSync

/// The HTTP binding of the sync protocol (SPEC.md 9.6): paths, media types and the framing of
/// a push body, shared by `engram serve` and the HTTP remote so the two cannot drift apart.
public enum SyncHTTP {
    /// The ref advertisement (`GET`).
    public static let refsPath = "/v1/refs"
    /// A fetch (`POST` a fetch request, a CAR back).
    public static let fetchPath = "/v1/fetch"
    /// A push (`POST` a framed push request and a CAR, a push result back).
    public static let pushPath = "/v1/push"
    /// Liveness (`GET`, `ok`); not under a repository.
    public static let healthPath = "/health"

    public static let refsContentType = "application/vnd.engram.refs+cbor"
    public static let requestContentType = "application/vnd.engram.request+cbor"
    public static let pushContentType = "application/vnd.engram.push"
    public static let pushResultContentType = "application/vnd.engram.push-result+cbor"
    public static let errorContentType = "application/vnd.engram.error+cbor"
    public static let carContentType = "application/vnd.ipld.car"

    /// The largest protocol message (fetch request, push request) a server reads: messages
    /// are CID lists, a CAR carries the data.
    public static let maxMessageBytes = 4 << 20

    /// The start of a push body: the request's length as an unsigned LEB128 varint, then the
    /// request. The CAR follows.
    public static func pushPrefix(_ request: PushRequest) -> [UInt8] {
        let message = request.encode()
        var out: [UInt8] = []
        // A message is far below the varint maximum (2^63 - 1): encoding cannot fail.
        try? Varint.write(UInt64(message.count), into: &out)
        return out + message
    }
}
