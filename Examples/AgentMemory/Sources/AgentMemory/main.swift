#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Runs the agent-memory story in a new temporary directory (or the directory given as the
// only argument, which must be empty) and prints it.
let directory: String
if CommandLine.arguments.count > 1 {
    directory = CommandLine.arguments[1]
} else {
    var template = Array("/tmp/agent-memory-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    guard let made else {
        print("cannot make a temporary directory")
        exit(1)
    }
    directory = String(cString: made)
}
print("An agent keeps its memory in \(directory)/memory")
do {
    _ = try await tellAgentMemoryStory(in: directory) { print("  " + $0) }
    print("done")
} catch {
    print("the story stopped: \(error)")
    exit(1)
}
