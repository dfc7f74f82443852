import ArgumentParser
import EngramIPLD

/// `engram cid`: compute and inspect CIDs.
struct CIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cid",
        abstract: "Compute and inspect content identifiers.",
        subcommands: [Of.self, Inspect.self]
    )

    struct Of: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the CIDv1 of the bytes on standard input.")

        @Option(help: "The codec the bytes are in: dag-cbor, raw or dag-json.")
        var codec: CodecName = .dagCBOR

        @Option(help: "The hash function: sha2-256 or blake2b-256.")
        var hash: HashName = .sha2_256

        @Option(help: "The multibase to print in (base32, base58btc, base16, base64url, ...).")
        var base: MultibaseName = .init(.base32)

        func run() throws {
            let input = try StandardIO.readAll()
            let cid = CID(hashing: input, codec: codec.multicodec, function: hash.function)
            print(cid.string(in: base.encoding))
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a CID's version, codec, hash and digest, or print it in another base.")

        @Argument(help: "The CID, in any multibase, or a CIDv0 (Qm...).")
        var cid: String

        @Flag(help: "Print JSON.")
        var json = false

        @Option(name: .customLong("to-base"), help: "Print only the CID in this multibase.")
        var toBase: MultibaseName?

        func run() throws {
            let parsed: CID
            do { parsed = try CID(string: cid) } catch {
                throw ValidationError("\(cid): \(error)")
            }
            if let toBase {
                print(parsed.string(in: toBase.encoding))
                return
            }
            let fields: [(String, String)] = [
                ("cid", parsed.description),
                ("version", String(parsed.version)),
                ("codec", parsed.codec.description),
                ("codec_code", "0x" + String(parsed.codec.rawValue, radix: 16)),
                ("hash", parsed.multihash.code.description),
                ("hash_code", "0x" + String(parsed.multihash.code.rawValue, radix: 16)),
                ("digest_length", String(parsed.multihash.digest.count)),
                ("digest", parsed.multihash.digest.description),
                ("base32", parsed.v1.string(in: .base32)),
                ("base58btc", parsed.v1.string(in: .base58btc)),
                ("dasl", parsed.isDASL ? "true" : "false"),
            ]
            if json {
                var map = IPLDMap()
                for (key, value) in fields {
                    switch key {
                    case "version", "digest_length": map[key] = .int(Int(value)!)
                    case "dasl": map[key] = .bool(value == "true")
                    default: map[key] = .string(value)
                    }
                }
                print(try DAGJSON.encodeString(.map(map)))
            } else {
                for (key, value) in fields { print("\(key): \(value)") }
            }
        }
    }
}

/// A codec named on the command line.
enum CodecName: String, ExpressibleByArgument, CaseIterable {
    case dagCBOR = "dag-cbor"
    case raw
    case dagJSON = "dag-json"

    var multicodec: Multicodec {
        switch self {
        case .dagCBOR: .dagCBOR
        case .raw: .raw
        case .dagJSON: .dagJSON
        }
    }
}

/// A hash function named on the command line.
enum HashName: String, ExpressibleByArgument, CaseIterable {
    case sha2_256 = "sha2-256"
    case blake2b_256 = "blake2b-256"

    var function: HashFunction { HashFunction(rawValue: rawValue)! }
}

/// A multibase named on the command line.
struct MultibaseName: ExpressibleByArgument {
    let encoding: Multibase
    init(_ encoding: Multibase) { self.encoding = encoding }
    init?(argument: String) {
        guard let encoding = Multibase(rawValue: argument) else { return nil }
        self.encoding = encoding
    }
    static var allValueStrings: [String] { Multibase.allCases.map(\.rawValue) }
}
