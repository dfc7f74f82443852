import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// Every write and sync of a commit (and of compaction) fails in turn; each failure surfaces as
/// a typed error, and the store then reopens consistent with every acknowledged commit intact.
@Suite struct FaultInjectionTests {
    struct Outcome {
        var acknowledged: [[Block]] = []
        var attempted: [[Block]] = []
        var errors: [StoreError] = []
    }

    /// open, commit, commit, compact, commit, close: the steps whose calls get faults.
    static func workload(_ dir: String, sys: SystemCalls) -> Outcome {
        var outcome = Outcome()
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch let e as StoreError { outcome.errors.append(e) } catch {
                Issue.record("untyped error \(error)")
            }
        }
        var store: FileBlockStore? = nil
        attempt { store = try FileBlockStore.open(at: dir, options: testOptions(segmentSize: 2048, sys: sys)) }
        guard let store else { return outcome }
        for i in 0..<3 {
            let kids = rawBlocks(3, size: 300, seed: UInt64(100 + i))
            let root = try! node("c\(i)", links: kids.map(\.cid))
            outcome.attempted.append(kids + [root])
            attempt {
                try store.commit(blocks: kids + [root], refUpdates: [RefUpdate(name: "refs/heads/main", expected: .any, new: .cid(root.cid))])
                outcome.acknowledged.append(kids + [root])
            }
            if i == 1 { attempt { try store.compact() } }
        }
        attempt { try store.close() }
        return outcome
    }

    static func baseline() throws -> (TempDirectory, Block) {
        let dir = TempDirectory()
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let base = try node("base", links: [])
        try store.commit(blocks: [base], refUpdates: [.move("refs/heads/main", from: nil, to: base.cid)])
        try store.close()
        return (dir, base)
    }

    @Test(arguments: [
        (SystemCalls.Operation.write, SystemCalls.Fault.error(EIO)),
        (.write, .error(ENOSPC)),
        (.write, .shortWrite(7)),
        (.fdatasync, .error(EIO)),
        (.fsync, .error(EIO)),
        (.fsync, .error(ENOSPC)),
        (.rename, .error(EIO)),
        (.truncate, .error(EIO)),
    ])
    func failureAtEveryStep(_ operation: SystemCalls.Operation, _ fault: SystemCalls.Fault) throws {
        // Count the calls of this kind in a clean run, then fail each one in turn.
        let (probeDir, _) = try Self.baseline()
        defer { probeDir.cleanup() }
        let probe = SystemCalls(plan: FaultPlan())
        _ = Self.workload(probeDir.store, sys: probe)
        let calls = probe.counts[operation, default: 0]
        // A failed write of DURABLE only loses evidence (it never claims more than a sync
        // made durable), so it fails no call.
        let surfaces = (probe.paths[operation] ?? []).map { !$0.hasSuffix("/DURABLE") }
        #expect(calls > 0 || operation == .truncate)
        for n in 1...max(calls, 1) {
            let (dir, base) = try Self.baseline()
            defer { dir.cleanup() }
            let sys = SystemCalls(plan: FaultPlan([.init(operation: operation, nth: n, fault: fault)]))
            let outcome = Self.workload(dir.store, sys: sys)
            let expectedErrno: Int32 = switch fault {
            case .error(let e): e
            case .shortWrite: ENOSPC
            }
            if n <= calls && surfaces[n - 1] {
                #expect(!outcome.errors.isEmpty, "fault at \(operation) #\(n) surfaced")
            }
            for e in outcome.errors {
                switch e {
                case .io(let op, _, let errno):
                    #expect(op == operation.rawValue && errno == expectedErrno, "\(e)")
                case .commitOutcomeUnknown(_, let errno):
                    // A commit whose sync failed: written, so it may be found at the next open.
                    #expect(operation == .fdatasync && errno == expectedErrno, "\(e)")
                default:
                    Issue.record("\(operation) #\(n): unexpected \(e)")
                }
            }
            // Reopen without faults: every acknowledged commit is there, whole; fsck is clean.
            let store = try FileBlockStore.open(at: dir.store, options: testOptions())
            #expect(try store.get(base.cid) == base.bytes)
            for blocks in outcome.acknowledged {
                for b in blocks { #expect(try store.get(b.cid) == b.bytes, "\(operation) #\(n)") }
            }
            for blocks in outcome.attempted {
                let present = try blocks.filter { try store.has($0.cid) }.count
                #expect(present == 0 || present == blocks.count, "a commit is all or nothing (\(operation) #\(n))")
            }
            let head = try store.refs.resolve("refs/heads/main")
            let candidates = [base.cid] + outcome.attempted.map { $0.last!.cid }
            #expect(head.map { candidates.contains($0) } == true)
            if let last = outcome.acknowledged.last?.last?.cid, let head {
                let ackIndex = candidates.firstIndex(of: last)!
                #expect(candidates.firstIndex(of: head)! >= ackIndex, "the ref never goes back before an acknowledged commit")
            }
            let report = try store.fsck()
            #expect(report.isClean, "\(operation) #\(n): \(report.problems)")
            try store.close()
        }
    }
}
