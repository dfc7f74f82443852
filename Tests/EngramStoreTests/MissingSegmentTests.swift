import EngramIPLD
import Foundation
import Testing
@testable import EngramStore

/// A sealed journal segment deleted by hand: readers retry (a compaction may explain it) and
/// then report `damaged` naming the missing segment, as the writer does at once; never the
/// loader's private retry signal.
@Suite struct MissingSegmentTests {
    @Test func aMissingSealedSegmentIsReportedByName() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions(segmentSize: 4096))
        for (i, block) in rawBlocks(12, size: 1000, seed: 5).enumerated() {
            try store.commit(blocks: [block], refUpdates: [RefUpdate(name: "refs/heads/b\(i)", expected: .absent, new: .cid(block.cid))])
        }
        try store.close()
        let segments = files(in: StoreFiles.journalDirectory(dir.store), suffix: ".log")
        try #require(segments.count >= 3)
        try FileManager.default.removeItem(atPath: segments[1])
        for readOnly in [true, false] {
            var options = testOptions(segmentSize: 4096)
            options.readOnly = readOnly
            #expect(throws: StoreError.damaged(path: StoreFiles.segment(dir.store, 2), offset: 0,
                                               reason: "journal segment 0000000000000002 is missing (segment 0000000000000003 follows)")) {
                try FileBlockStore.open(at: dir.store, options: options)
            }
        }
    }
}
