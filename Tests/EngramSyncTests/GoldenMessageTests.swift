import EngramIPLD
import EngramStorage
import EngramSync
import EngramTestSupport
import Foundation
import Testing

/// The protocol's messages (SPEC.md 9.2-9.5) against `Fixtures/sync/messages.txt`: each line
/// `name hex`, the exact DAG-CBOR bytes of one message built from the CIDs below.
struct GoldenMessageTests {
    static let a = Block(bytes: Array("engram sync golden a".utf8), codec: .raw).cid
    static let b = Block(bytes: Array("engram sync golden b".utf8), codec: .dagCBOR).cid

    static let messages: [(String, [UInt8])] = [
        ("refs", RefAdvertisement(head: "refs/heads/main", refs: [("refs/heads/main", a), ("refs/heads/agent-1", b)]).encode()),
        ("refs-detached", RefAdvertisement(head: nil, refs: []).encode()),
        ("fetch", FetchRequest(wants: [a], haves: [b]).encode()),
        ("fetch-resume", FetchRequest(wants: [a], haves: [], frontier: [a, b]).encode()),
        ("push", PushRequest(updates: [.init(ref: "refs/heads/main", expected: b, new: a),
                                       .init(ref: "refs/heads/new", expected: nil, new: b, force: true)]).encode()),
        ("push-result", PushResult(applied: false, refs: [("refs/heads/main", a), ("refs/heads/new", nil)], received: 7).encode()),
        ("error", SyncError.notFound("repository x").encodeForWire()),
    ]

    static let file = TestFixtures.project.appendingPathComponent("sync/messages.txt")

    @Test func messagesEncodeToTheGoldenBytes() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        var golden: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            golden[String(parts[0])] = String(parts[1])
        }
        for (name, bytes) in Self.messages {
            #expect(golden[name] == Hex.encode(bytes), "\(name): \(Hex.encode(bytes))")
        }
        #expect(golden.count == Self.messages.count)
    }

    @Test func goldenBytesDecodeBack() throws {
        let m = Dictionary(uniqueKeysWithValues: Self.messages)
        #expect(try RefAdvertisement.decode(m["refs"]!).refs.count == 2)
        #expect(try FetchRequest.decode(m["fetch-resume"]!).frontier == [Self.a, Self.b])
        #expect(try PushRequest.decode(m["push"]!).updates[1].force)
        #expect(try PushResult.decode(m["push-result"]!).received == 7)
        #expect(SyncError.decodeFromWire(m["error"]!) == .notFound("repository x"))
    }
}
