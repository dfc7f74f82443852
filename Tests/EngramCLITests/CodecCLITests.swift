import EngramIPLD
import EngramTestSupport
import Testing

/// `engram codec` and `engram cid` end to end, through the built executable.
@Suite(.serialized)
struct CodecCLITests {
    @Test func convertsDAGJSONToDAGCBORAndBack() throws {
        let json = #"{"b":{"/":{"bytes":"AQI"}},"a":[1,2.5,{"/":"bafkqaaa"}]}"#
        let cbor = try CLIRunner.run(["codec", "convert", "--from", "dag-json", "--to", "dag-cbor"], stdin: json)
        #expect(cbor.status == 0, "\(cbor.stderr)")
        #expect(cbor.stdout == (try DAGCBOR.encode(try DAGJSON.decode(json))))
        let back = try CLIRunner.run(["codec", "convert", "--from", "dag-cbor", "--to", "dag-json"], stdin: cbor.stdout)
        #expect(back.status == 0)
        #expect(back.output == #"{"a":[1,2.5,{"/":"bafkqaaa"}],"b":{"/":{"bytes":"AQI"}}}"# + "\n")
    }

    @Test func invalidInputFailsWithTheReasonOnStderr() throws {
        let unsorted = try CLIRunner.run(["codec", "convert", "--from", "dag-cbor", "--to", "dag-json"], stdin: unhex("a2616201616100"))
        #expect(unsorted.status != 0)
        #expect(unsorted.stdout.isEmpty)
        #expect(unsorted.stderr.contains("map keys are not in canonical order at byte 4"))
        let duplicate = try CLIRunner.run(["codec", "convert", "--from", "dag-json", "--to", "dag-cbor"], stdin: #"{"a":1,"a":2}"#)
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("duplicate map key"))
        let badCodec = try CLIRunner.run(["codec", "convert", "--from", "yaml", "--to", "dag-cbor"], stdin: "")
        #expect(badCodec.status != 0)
        #expect(badCodec.stderr.contains("yaml"))
    }

    @Test func cidOfHashesStandardInput() throws {
        let raw = try CLIRunner.run(["cid", "of", "--codec", "raw"], stdin: [])
        #expect(raw.output == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\n")
        let blake = try CLIRunner.run(["cid", "of", "--codec", "raw", "--hash", "blake2b-256"], stdin: [])
        #expect(blake.output == "bafk2bzaceahfouoae3suhmxivmxlayez3kq5dzo7i53y654h7kvultprf7r2q\n")
        let base58 = try CLIRunner.run(["cid", "of", "--codec", "dag-cbor", "--base", "base58btc"], stdin: [0xa0])
        #expect(base58.output.hasPrefix("z"))
        #expect(try CID(string: String(base58.output.dropLast())).description
            == "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua")
    }

    @Test func cidInspectPrintsFieldsAndJSON() throws {
        let text = try CLIRunner.run(["cid", "inspect", "QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY"])
        #expect(text.status == 0)
        #expect(text.output.contains("version: 0\n"))
        #expect(text.output.contains("codec: dag-pb\n"))
        #expect(text.output.contains("digest: 22ad631c69ee983095b5b8acd029ff94aff1dc6c48837878589a92b90dfea317\n"))
        let json = try CLIRunner.run(["cid", "inspect", "--json", "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua"])
        let value = try DAGJSON.decode(Array(json.stdout.dropLast()))
        #expect(value["codec"] == .string("dag-cbor"))
        #expect(value["hash"] == .string("sha2-256"))
        #expect(value["digest_length"] == .int(32))
        let converted = try CLIRunner.run(["cid", "inspect", "bafkqaaa", "--to-base", "base16"])
        #expect(converted.output == "f01550000\n")
        let bad = try CLIRunner.run(["cid", "inspect", "bafy!!"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bafy!!"))
    }
}
