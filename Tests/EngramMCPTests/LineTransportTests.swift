import EngramMCP
import Foundation
import Testing

/// ``LineTransport`` against messages written in arbitrary pieces: each line arrives whole,
/// once, in order, whatever the read boundaries (a reference split of the same bytes).
struct LineTransportTests {
    @Test(arguments: [1, 7, 4096, 65_536, 1 << 20])
    func linesArriveWholeWhateverTheWriteSizes(pieceSize: Int) async throws {
        let input = Pipe(), output = Pipe()
        let transport = LineTransport(input: input.fileHandleForReading.fileDescriptor,
                                      output: output.fileHandleForWriting.fileDescriptor)
        try await transport.connect()
        // Non-ASCII, NUL (escaped in JSON) and one 3 MB message among small ones, plus an empty line.
        let messages: [String] = [#"{"a":"Zoë"}"#, #"{"b":"Zoe\u0308 \u0000"}"#, "{\"big\":\"" + String(repeating: "é", count: 3 << 19) + "\"}",
                                  #"{"c":1}"#]
        var bytes = [UInt8]()
        for (i, m) in messages.enumerated() { bytes += Array(m.utf8) + (i == 1 ? [10, 10] : [10]) }
        let writer = input.fileHandleForWriting
        let pieces = stride(from: 0, to: bytes.count, by: pieceSize).map { Array(bytes[$0..<min($0 + pieceSize, bytes.count)]) }
        let writing = Task.detached {
            for p in pieces { writer.write(Data(p)) }
            try writer.close()
        }
        var received: [String] = []
        for try await data in await transport.receive() { received.append(String(decoding: data, as: UTF8.self)) }
        try await writing.value
        #expect(received == messages)
    }

    @Test func sendWritesTheMessageAndOneNewline() async throws {
        let input = Pipe(), output = Pipe()
        let transport = LineTransport(input: input.fileHandleForReading.fileDescriptor,
                                      output: output.fileHandleForWriting.fileDescriptor)
        try await transport.connect()
        let message = Data((#"{"x":""# + String(repeating: "ß", count: 100_000) + #""}"#).utf8)
        let reading = Task.detached { output.fileHandleForReading.readData(ofLength: message.count + 1) }
        try await transport.send(message)
        let got = await reading.value
        #expect(got == message + Data([10]))
        await transport.disconnect()
    }
}
