import ArgumentParser
import EngramIPLD
import EngramStore

/// `engram block`: store and read raw blocks.
struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Store and read blocks of the repository.",
        subcommands: [Put.self, Get.self, Stat.self])

    struct Put: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the bytes on standard input as one block and print its CID.",
            discussion: "DAG-CBOR input must be strict DAG-CBOR; DAG-JSON input is stored as DAG-CBOR. The block is durable when the CID is printed, but no ref reaches it: the next `engram gc` deletes it unless a committed object links to it.")

        @Option(help: "The codec of the input: dag-cbor, raw or dag-json.")
        var codec: CodecName = .dagCBOR

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let input = try StandardIO.readAll()
            let (bytes, multicodec): ([UInt8], Multicodec)
            switch codec {
            case .raw: (bytes, multicodec) = (input, .raw)
            case .dagCBOR:
                do { try DAGCBOR.validate(input) } catch { throw CLIError("invalid DAG-CBOR on standard input: \(error)") }
                (bytes, multicodec) = (input, .dagCBOR)
            case .dagJSON:
                let value: IPLD
                do { value = try DAGJSON.decode(input) } catch { throw CLIError("invalid DAG-JSON on standard input: \(error)") }
                (bytes, multicodec) = (try DAGCBOR.encode(value), .dagCBOR)
            }
            let store = try repository.openStore(readOnly: false)
            let block = Block(bytes: bytes, codec: multicodec, function: store.hashFunction)
            try store.put(block)
            try store.close()
            print(block.cid)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a block's bytes to standard output (verified against its CID).")

        @Argument(help: "The block's CID.")
        var cid: String

        @Option(name: .customLong("output-codec"), help: "Convert a DAG-CBOR or DAG-JSON block: dag-json or dag-cbor.")
        var outputCodec: ValueCodec?

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let parsed = try parseCID(cid)
            let store = try repository.openStore(readOnly: true)
            guard let bytes = try store.getVerified(parsed) else { throw CLIError.notFound("block \(parsed) not found") }
            guard let outputCodec else { return try StandardIO.write(bytes) }
            let value: IPLD
            switch parsed.codec {
            case .dagCBOR: value = try DAGCBOR.decode(bytes)
            case .dagJSON: value = try DAGJSON.decode(bytes)
            default: throw CLIError("block \(parsed) is \(parsed.codec), which cannot be converted to \(outputCodec.rawValue)")
            }
            var out = try outputCodec.encode(value)
            if outputCodec == .dagJSON { out.append(0x0a) }
            try StandardIO.write(out)
        }
    }

    struct Stat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a stored block's size and where it is stored.")

        @Argument(help: "The block's CID.")
        var cid: String

        @OptionGroup var repository: RepositoryOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let parsed = try parseCID(cid)
            let store = try repository.openStore(readOnly: true)
            guard let stat = try store.stat(parsed) else { throw StoreError.notFound(parsed) }
            if json {
                print(try DAGJSON.encodeString([
                    "cid": .string(stat.cid.description), "codec": .string(parsed.codec.description), "codec_code": .int(parsed.codec.rawValue), "size": .int(stat.size),
                    "stored_size": .int(stat.storedSize), "compressed": .bool(stat.compressed), "location": .string(stat.location),
                ]))
                return
            }
            print("cid: \(stat.cid)")
            print("codec: \(parsed.codec)")
            print("size: \(stat.size)")
            print("stored: \(stat.storedSize)")
            print("compressed: \(stat.compressed)")
            print("location: \(stat.location)")
        }
    }
}

func parseCID(_ text: String) throws -> CID {
    do { return try CID(string: text) } catch { throw ValidationError("\(text): \(error)") }
}
