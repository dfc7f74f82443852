import ArgumentParser
import EngramIPLD

/// `engram codec`: convert between DAG-CBOR and DAG-JSON.
struct CodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Convert IPLD data between codecs.",
        subcommands: [Convert.self]
    )

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one value from standard input in one codec and write it in another.",
            discussion: "Both directions are strict: invalid input exits non-zero with the reason on standard error.")

        @Option(help: "The input codec: dag-json or dag-cbor.")
        var from: ValueCodec

        @Option(help: "The output codec: dag-json or dag-cbor.")
        var to: ValueCodec

        func run() throws {
            let input = try StandardIO.readAll()
            let value = try from.decode(input)
            var output = try to.encode(value)
            if to == .dagJSON { output.append(0x0a) }
            try StandardIO.write(output)
        }
    }
}

/// A codec that carries IPLD values, named on the command line.
enum ValueCodec: String, ExpressibleByArgument, CaseIterable {
    case dagJSON = "dag-json"
    case dagCBOR = "dag-cbor"

    func decode(_ bytes: [UInt8]) throws -> IPLD {
        switch self {
        case .dagJSON:
            // Surrounding whitespace (the newline editors add) is allowed by DAG-JSON itself.
            return try DAGJSON.decode(bytes)
        case .dagCBOR:
            return try DAGCBOR.decode(bytes)
        }
    }

    func encode(_ value: IPLD) throws -> [UInt8] {
        switch self {
        case .dagJSON: try DAGJSON.encode(value)
        case .dagCBOR: try DAGCBOR.encode(value)
        }
    }
}
