// engram-crash-writer: the child process of the crash tests. It commits small DAGs in a loop
// to the store at argv[1] (creating it if needed) and prints each commit's root CID on its own
// line once `commit` has returned, that is once the commit is durable. The test kills it with
// SIGKILL at random moments and checks that every printed root survived.
#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
import EngramStore
import EngramTestSupport

func writeError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
}

func writeLine(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { if errno == EINTR { continue }; exit(3) }
        offset += n
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let seed = UInt64(arguments[2]) else {
    writeError("usage: engram-crash-writer <store-dir> <seed> [segment-size]")
    exit(2)
}
let directory = arguments[1]
var options = FileBlockStore.Options()
options.segmentSize = arguments.count > 3 ? Int(arguments[3]) ?? 4096 : 4096
options.maxPacks = 4

do {
    let store: FileBlockStore
    if access(directory + "/HEADER", F_OK) == 0 {
        store = try FileBlockStore.open(at: directory, options: options)
    } else {
        store = try FileBlockStore.create(at: directory, options: options)
    }
    var random = SplitMix64(seed: seed)
    var previous = try store.refs.resolve("refs/heads/main")
    var n: Int64 = 0
    while true {
        var children: [Block] = []
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let size = 16 + Int(random.next() % 300)
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            children.append(Block(bytes: bytes, codec: .raw))
        }
        var fields: [(String, IPLD)] = [("n", .integer(IPLDInteger(n))), ("kids", .list(children.map { .link($0.cid) }))]
        if let previous { fields.append(("prev", .link(previous))) }
        let root = try Block(encoding: .map(IPLDMap(uniqueKeysWithValues: fields)))
        try store.commit(blocks: children + [root], refUpdates: [.move("refs/heads/main", from: previous, to: root.cid)],
                         message: "crash-writer \(n)")
        writeLine(root.cid.description)
        previous = root.cid
        n += 1
    }
} catch {
    writeError("engram-crash-writer: \(error)")
    exit(1)
}
