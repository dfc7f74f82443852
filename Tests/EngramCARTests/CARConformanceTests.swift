import EngramCAR
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// The CAR fixtures of ../shared/fixtures: the IPLD spec's CARv1 and CARv2 examples (roots and
/// blocks against their JSON descriptions) and the codec fixtures' archive of 273 blocks
/// (against the block files it was made from).
@Suite(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
struct CARConformanceTests {
    static let specFixtures = "ipld-ipld/specs/transport/car/fixture"

    /// Roots and block CIDs, in order, from a fixture's JSON description.
    static func described(_ name: String) throws -> (roots: [CID], blocks: [(cid: CID, offset: Int, length: Int)]) {
        let url = TestFixtures.shared!.appendingPathComponent("\(specFixtures)/\(name)/\(name).json")
        guard let json = try TestFixtures.json(url) as? [String: Any],
            let header = json["header"] as? [String: Any], let roots = header["roots"] as? [[String: String]],
            let blocks = json["blocks"] as? [[String: Any]]
        else { throw TestFixtures.FixtureError.malformed(name) }
        return (
            try roots.map { try CID(string: $0["/"] ?? "") },
            try blocks.map { block in
                guard let cid = (block["cid"] as? [String: String])?["/"], let offset = block["blockOffset"] as? Int,
                    let length = block["blockLength"] as? Int
                else { throw TestFixtures.FixtureError.malformed(name) }
                return (try CID(string: cid), offset, length)
            }
        )
    }

    @Test(arguments: [("carv1-basic", 1), ("carv2-basic", 2)])
    func specFixture(name: String, version: Int) async throws {
        let bytes = try TestFixtures.sharedFile("\(Self.specFixtures)/\(name)/\(name).car")
        let expected = try Self.described(name)
        let (header, blocks) = try readArchive(bytes)
        #expect(header.version == version)
        #expect(header.roots == expected.roots)
        #expect(blocks.map(\.cid) == expected.blocks.map(\.cid))
        for (block, want) in zip(blocks, expected.blocks) {
            #expect(block.bytes == Array(bytes[want.offset..<want.offset + want.length]))
        }
        // The same through the asynchronous reader in small, uneven chunks, and a file.
        let chunked = try await readArchiveAsync(bytes, chunkSizes: [1, 7, 3, 64])
        #expect(chunked.0 == header && chunked.1 == blocks)
        var fromFile = try CARReader(path: TestFixtures.shared!.appendingPathComponent("\(Self.specFixtures)/\(name)/\(name).car").path)
        #expect(fromFile.header == header)
        #expect(try fromFile.readAll() == blocks)
    }

    @Test func carv1BasicHasTwoRootsAndEightBlocks() throws {
        let (header, blocks) = try readArchive(try TestFixtures.sharedFile("\(Self.specFixtures)/carv1-basic/carv1-basic.car"))
        #expect(header.roots.count == 2)
        #expect(blocks.count == 8)
        #expect(Set(blocks.map(\.cid.codec)) == [.dagCBOR, .dagPB, .raw])
    }

    @Test func carv2BasicHasOneRootAndFiveBlocks() throws {
        let (header, blocks) = try readArchive(try TestFixtures.sharedFile("\(Self.specFixtures)/carv2-basic/carv2-basic.car"))
        #expect(header.roots.count == 1)
        #expect(blocks.count == 5)
    }

    /// fixtures.car holds every block file of the codec fixtures, no roots.
    @Test func codecFixturesArchive() throws {
        let (header, blocks) = try readArchive(try TestFixtures.sharedFile("ipld-codec-fixtures/fixtures.car"), readSize: 4093)
        #expect(header.roots.isEmpty)
        #expect(blocks.count == 273)
        var files: [CID: [UInt8]] = [:]
        let root = TestFixtures.shared!.appendingPathComponent("ipld-codec-fixtures/fixtures")
        for folder in try TestFixtures.list(root) where !folder.lastPathComponent.hasPrefix(".") {
            for file in try TestFixtures.list(folder) {
                let name = file.lastPathComponent.split(separator: ".", maxSplits: 1)
                files[try CID(string: name[0])] = try TestFixtures.bytes(of: file)
            }
        }
        #expect(files.count == 273)
        for block in blocks { #expect(files[block.cid] == block.bytes, "\(block.cid)") }
    }

    /// A CARv2 cut inside its payload is truncated even at a section boundary: its header says
    /// how long the payload is.
    @Test func carv2CutAtASectionBoundaryIsTruncated() throws {
        let bytes = try TestFixtures.sharedFile("\(Self.specFixtures)/carv2-basic/carv2-basic.car")
        // Offsets in the JSON are the file's; a section ends where its block does.
        let sectionEnds = try Self.described("carv2-basic").blocks.map { $0.offset + $0.length }
        #expect(sectionEnds.last == 499)
        for end in sectionEnds.dropLast() {
            #expect(readError(Array(bytes[..<end])) == .truncated(.section, offset: end))
        }
    }
}
