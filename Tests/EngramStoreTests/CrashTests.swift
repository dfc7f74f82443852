import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// Crash tests with real processes: `engram-crash-writer` commits in a loop and prints each
/// durable commit; it is killed with SIGKILL at random moments.
@Suite(.serialized) struct CrashTests {
    /// The child executable, built next to the test bundle.
    static var writerPath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner may live inside an .xctest bundle directory.
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("engram-crash-writer").path
    }

    static func spawn(_ store: String, seed: Int) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writerPath)
        process.arguments = [store, String(seed), "4096"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// The `prev` link of a crash-writer root.
    static func previous(_ root: CID, in store: FileBlockStore) throws -> CID? {
        guard case .map(let m)? = try DAGCBOR.decode(store.fetch(root)) as IPLD?, case .link(let p)? = m["prev"] else { return nil }
        return p
    }

    @Test func sigkillAtRandomMomentsLosesNoDurableCommit() throws {
        let path = Self.writerPath
        try #require(FileManager.default.isExecutableFile(atPath: path), "build engram-crash-writer first (swift build)")
        let dir = TempDirectory()
        defer { dir.cleanup() }
        try FileBlockStore.create(at: dir.store, options: testOptions()).close()
        var random = TestRandom(0xC0FFEE)
        var lastReported: CID? = nil
        var totalReported = 0
        var runsSinceReport = 0
        for run in 0..<200 {
            let (process, out, err) = try Self.spawn(dir.store, seed: run)
            var early = Data()
            if run % 4 == 0 {
                // Anywhere from start-up (open and recovery) on.
                usleep(UInt32(random.int(1_000...60_000)))
            } else {
                // Mid-loop: once the child has committed once, a little later.
                early = out.fileHandleForReading.availableData
                usleep(UInt32(random.int(0...25_000)))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = String(decoding: early + out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .uncaughtSignal, "run \(run): child exited by itself: \(errors)")
            // Only complete lines were reported durable.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let complete = text.hasSuffix("\n") ? lines : lines.dropLast()
            runsSinceReport += 1
            for line in complete {
                lastReported = try CID(string: line)
                totalReported += 1
                runsSinceReport = 1
            }

            let store = try FileBlockStore.open(at: dir.store, options: testOptions())
            let head = try store.refs.resolve("refs/heads/main")
            if let lastReported {
                let head = try #require(head, "run \(run): ref lost")
                // Each run can leave at most one durable commit unprinted (killed between
                // commit and print), so the last reported commit is at most that many steps
                // behind the head on the `prev` chain.
                var cursor: CID? = head
                var steps = 0
                while let c = cursor, c != lastReported, steps <= runsSinceReport {
                    cursor = try Self.previous(c, in: store)
                    steps += 1
                }
                if cursor != lastReported {
                    var chain: [String] = []
                    var c: CID? = head
                    while let x = c, chain.count < 400 {
                        chain.append(x.description)
                        if x == lastReported { break }
                        c = try Self.previous(x, in: store)
                    }
                    Issue.record("""
                        run \(run): last reported commit \(lastReported) is not within \(runsSinceReport) steps behind head \(head); \
                        stored: \(try store.has(lastReported)); found \(chain.last == lastReported.description ? "\(chain.count - 1) steps back" : "not on the chain (\(chain.count) walked)"); \
                        this run printed \(complete.count) lines
                        """)
                }
                var missing: [CID] = []
                _ = try BlockLinks.closure(of: [head], in: store) { cid, _ in missing.append(cid) }
                #expect(missing.isEmpty, "run \(run): closure incomplete: \(missing.prefix(3))")
            }
            if run % 25 == 24 {
                let report = try store.fsck()
                #expect(report.isClean, "run \(run): \(report.problems.prefix(3))")
            }
            try store.close()
        }
        #expect(totalReported >= 150, "the child committed often enough for the kills to land mid-commit")
    }

    /// A reader in another process (here: this one, the writer being the child) sees only
    /// committed states while the writer runs, compacts and rolls segments.
    @Test func readerInAnotherProcessSeesOnlyCommittedStates() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.writerPath))
        let dir = TempDirectory()
        defer { dir.cleanup() }
        _ = try FileBlockStore.create(at: dir.store, options: testOptions()).close()
        let (process, _, _) = try Self.spawn(dir.store, seed: 7)
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let reader = try FileBlockStore.open(at: dir.store, options: FileBlockStore.Options(readOnly: true))
        var observed = Set<CID>()
        // Bounded by time, not by a number of checks: on a loaded machine the writer commits
        // slowly, and the reader yields between checks so that it can.
        let deadline = Date().addingTimeInterval(300)
        while observed.count < 40 && Date() < deadline {
            try reader.refresh()
            usleep(500)
            guard let head = try reader.refs.resolve("refs/heads/main") else { continue }
            var missing: [CID] = []
            _ = try BlockLinks.closure(of: [head], in: reader) { cid, _ in missing.append(cid) }
            #expect(missing.isEmpty, "reader saw \(head) without its closure")
            observed.insert(head)
        }
        #expect(observed.count >= 40)
        #expect(throws: StoreError.self) { try FileBlockStore.open(at: dir.store, options: testOptions()) }
    }
}
