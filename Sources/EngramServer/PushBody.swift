import EngramIPLD
import EngramSync
import Hummingbird

/// The framing of a push body: an unsigned LEB128 varint length, that many bytes of push
/// request, then the CAR. Reads the request, and hands on the rest of the body, bytes already
/// read included, as the CAR's chunks.
struct PushBody<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
    private var iterator: Iterator
    private var buffered: [UInt8] = []

    init(_ iterator: Iterator) { self.iterator = iterator }

    /// Reads the length and the push request, refusing a length over `maxMessageBytes`.
    mutating func readRequest(maxMessageBytes: Int) async throws -> PushRequest {
        let what = "push body"
        var length: (value: UInt64, length: Int)?
        while length == nil {
            do { length = try Varint.decode(buffered) } catch .truncated {
                guard buffered.count < Varint.maxLength, try await fill() else {
                    throw SyncError.malformedMessage(what: what, reason: "the body ends inside the request's length")
                }
            } catch {
                throw SyncError.malformedMessage(what: what, reason: "the request's length is not a varint: \(error)")
            }
        }
        guard let (value, used) = length, let count = Int(exactly: value), count <= maxMessageBytes else {
            throw SyncError.malformedMessage(what: what, reason: "the request's length is over \(maxMessageBytes) bytes")
        }
        let end = used + count
        while buffered.count < end {
            guard try await fill() else {
                throw SyncError.malformedMessage(what: what, reason: "the body ends inside the request (\(count) bytes declared)")
            }
        }
        let request = try PushRequest.decode(Array(buffered[used..<end]))
        buffered.removeFirst(end)
        return request
    }

    /// The rest of the body: the CAR.
    consuming func archive() -> Remainder { Remainder(first: buffered, iterator: iterator) }

    private mutating func fill() async throws -> Bool {
        guard let chunk = try await iterator.next() else { return false }
        buffered.append(contentsOf: chunk.readableBytesView)
        return true
    }

    /// The bytes after the request, as one pass of chunks.
    struct Remainder: AsyncSequence {
        typealias Element = [UInt8]
        let first: [UInt8]
        let iterator: Iterator

        func makeAsyncIterator() -> RemainderIterator { RemainderIterator(first: first, iterator: iterator) }

        struct RemainderIterator: AsyncIteratorProtocol {
            var first: [UInt8]?
            var iterator: Iterator

            mutating func next() async throws -> [UInt8]? {
                if let head = first {
                    first = nil
                    if !head.isEmpty { return head }
                }
                return try await iterator.next().map { Array($0.readableBytesView) }
            }
        }
    }
}
