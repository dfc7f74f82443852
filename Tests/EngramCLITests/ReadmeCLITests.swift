#if canImport(Glibc)
import Glibc
#endif
import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Every command and snippet of README.md, as written: shell blocks run on a fresh copy of the
/// repository (the first, `bash scripts/demo.sh`, in `DemoCLITests`), Swift snippets compiled
/// against the built Engram modules (the main one also runs, in `ReadmeExampleTests`), JSON
/// parsed, and each synopsis line's commands and options checked against `engram ... --help`.
/// A release build takes minutes, so a `swift` stand-in on `PATH` answers `swift build -c
/// release` with the `engram` these tests were built with; nothing else is stood in for.
@Suite(.serialized)
struct ReadmeCLITests {
    static let readme = (try? ReadmeText.readme()) ?? ""
    static let blocks = ReadmeText.blocks(readme)
    static let buildDirectory = CLIRunner.executable.deletingLastPathComponent()

    static func block(_ language: String, startingWith prefix: String) throws -> ReadmeText.Block {
        let found = blocks.filter { $0.language == language && $0.lines.first?.hasPrefix(prefix) == true }
        guard found.count == 1 else { throw ReadmeText.CopyError(reason: "\(found.count) \(language) blocks start with '\(prefix)'") }
        return found[0]
    }

    /// The shell blocks this suite and `DemoCLITests` run, by their first line's start.
    static let shellBlocks = ["bash scripts/demo.sh", "swift build -c release", "mkdir -p ~/.local/share/bash-completion",
                              "echo \"$SECRET\" > token", "engram clone http://127.0.0.1:7420 agent-b"]

    @Test func everyBlockIsOfAKindThatIsCheckedAndEveryShellBlockIsRun() throws {
        #expect(!Self.blocks.isEmpty)
        for block in Self.blocks {
            #expect(["sh", "swift", "json", "text"].contains(block.language), "a block tagged '\(block.language)': \(block.lines.first ?? "")")
        }
        let shell = Self.blocks.filter { $0.language == "sh" }.compactMap(\.lines.first)
        #expect(shell.count == Self.shellBlocks.count)
        for line in shell { #expect(Self.shellBlocks.contains { line.hasPrefix($0) }, "a shell block no test runs: \(line)") }
        // The first block: the demo (DemoCLITests) and the whole suite (scripts/test.sh, which
        // runs this test: it is not run from here).
        #expect(Self.blocks.first?.lines.map { $0.prefix { $0 != " " } } == ["bash", "bash"])
        #expect(Self.blocks.first?.lines.last?.hasPrefix("bash scripts/test.sh ") == true)
    }

    /// A home directory, and a `PATH` with the `swift` stand-in first and `~/.local/bin` next.
    static func sandbox() throws -> (home: String, environment: [String: String]) {
        let home = TestDirectory.make("engram-readme-home")
        let shims = TestDirectory.make("engram-readme-shims")
        let swift = """
            #!/usr/bin/env bash
            # Stands in for `swift build -c release`: puts the engram the tests were built with where that build puts its own.
            if [ "$*" = "build -c release" ]; then mkdir -p .build/release && cp "$ENGRAM_BIN" .build/release/engram && exit 0; fi
            echo "swift $*: not stood in for" >&2
            exit 1

            """
        try swift.write(toFile: shims + "/swift", atomically: true, encoding: .utf8)
        chmod(shims + "/swift", 0o755)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (home, ["HOME": home, "PATH": "\(shims):\(home)/.local/bin:\(path)", "ENGRAM_BIN": CLIRunner.executable.path])
    }

    @Test func installAndCompletionsRunAsWritten() throws {
        let copy = try ReadmeText.freshCopy()
        defer { TestDirectory.remove(copy.path) }
        let (home, environment) = try Self.sandbox()
        defer { TestDirectory.remove(home) }

        let install = try ReadmeText.bash(try Self.block("sh", startingWith: "swift build -c release").text, in: copy, environment: environment)
        #expect(install.status == 0, "\(install.stderr)")
        let version = try CLIRunner.run(["--version"]).output
        #expect(install.output == version)
        #expect(FileManager.default.isExecutableFile(atPath: home + "/.local/bin/engram"))
        let found = try ReadmeText.bash("command -v engram", in: copy, environment: environment)
        #expect(found.output == home + "/.local/bin/engram\n")

        let completions = try ReadmeText.bash(try Self.block("sh", startingWith: "mkdir -p ~/.local/share/bash-completion").text,
                                              in: copy, environment: environment)
        #expect(completions.status == 0, "\(completions.stderr)")
        let bash = try String(contentsOfFile: home + "/.local/share/bash-completion/completions/engram", encoding: .utf8)
        let zsh = try String(contentsOfFile: home + "/.zfunc/_engram", encoding: .utf8)
        let fish = try String(contentsOfFile: home + "/.config/fish/completions/engram.fish", encoding: .utf8)
        #expect(bash.contains("complete -o filenames -F _engram engram"))
        #expect(zsh.hasPrefix("#compdef engram"))
        #expect(fish.contains("complete -c 'engram'"))
        let syntax = try CLIRunner.run(["-n", home + "/.local/share/bash-completion/completions/engram"], program: URL(fileURLWithPath: "/bin/bash"))
        #expect(syntax.status == 0, "the bash completion script parses: \(syntax.stderr)")
    }

    /// The server block runs in a repository until stopped; the client block clones from it
    /// and pushes with the token. Runs of this test in other processes take turns on the port.
    @Test func serveThenCloneAndPushRunAsWritten() throws {
        let port = open("/tmp/engram-readme-7420.lock", O_CREAT | O_RDWR, 0o666)
        #expect(port >= 0)
        flock(port, LOCK_EX)
        defer { flock(port, LOCK_UN); Glibc.close(port) }
        let work = TestDirectory.make("engram-readme-serve")
        defer { TestDirectory.remove(work) }
        let bin = TestDirectory.make("engram-readme-bin")
        defer { TestDirectory.remove(bin) }
        try FileManager.default.createSymbolicLink(atPath: bin + "/engram", withDestinationPath: CLIRunner.executable.path)
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for args in [["init"], ["node", "add", "--label", "Note", "--prop", "text=caf\u{E9} \u{1F9E0}"], ["commit", "-m", "served"]] {
            let r = try CLIRunner.run(args, directory: URL(fileURLWithPath: work))
            #expect(r.status == 0, "\(r.stderr)")
        }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/bash")
        server.arguments = ["-euo", "pipefail", "-c", try Self.block("sh", startingWith: "echo \"$SECRET\" > token").text]
        server.currentDirectoryURL = URL(fileURLWithPath: work)
        var environment = ProcessInfo.processInfo.environment
        environment["ENGRAM_REPO"] = nil
        environment["PATH"] = path
        environment["SECRET"] = "s3cret-\u{E9}"
        server.environment = environment
        let log = Pipe()
        server.standardError = log
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { Self.stop(server) }
        let ready = try ReadmeText.bash(
            "for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/7420) 2>/dev/null && exit 0; sleep 0.05; done; exit 1",
            in: URL(fileURLWithPath: work))
        #expect(ready.status == 0 && server.isRunning, "the server did not start listening on 127.0.0.1:7420")
        guard server.isRunning else { return }

        let client = try ReadmeText.bash(try Self.block("sh", startingWith: "engram clone http://127.0.0.1:7420 agent-b").text,
                                         in: URL(fileURLWithPath: work), environment: ["PATH": path])
        #expect(client.status == 0, "\(client.stderr)")
        #expect(client.output.contains("Cloned http://127.0.0.1:7420 into agent-b"))
        #expect(client.output.contains("round trips:"))
        let served = try CLIRunner.run(["log", "--json", "-n", "1"], directory: URL(fileURLWithPath: work)).output
        let cloned = try CLIRunner.run(["-C", work + "/agent-b", "log", "--json", "-n", "1"]).output
        #expect(!served.isEmpty && served == cloned)
        #expect(try String(contentsOfFile: work + "/token", encoding: .utf8) == "s3cret-\u{E9}\n")
    }

    /// Ends the server block's `engram serve` (the bash child, by its pid), then the block.
    static func stop(_ server: Process) {
        let pid = server.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
        if server.isRunning { kill(pid, SIGTERM) }
        server.waitUntilExit()
    }

    /// Each Swift snippet but the manifest fragment type-checks against the built modules as a
    /// program of its own (its imports are its own).
    @Test func swiftSnippetsCompileAgainstEngram() throws {
        let snippets = Self.blocks.filter { $0.language == "swift" && $0.lines.first != "// Package.swift" }
        #expect(snippets.count == 3)
        let dir = TestDirectory.make("engram-readme-swift")
        defer { TestDirectory.remove(dir) }
        let root = TestFixtures.packageRoot.path
        for (i, snippet) in snippets.enumerated() {
            #expect(snippet.lines.first?.hasPrefix("import ") == true, "snippet \(i) says what it imports")
            let file = dir + "/snippet\(i).swift"
            try snippet.text.write(toFile: file, atomically: true, encoding: .utf8)
            let r = try CLIRunner.run([
                "swiftc", "-typecheck", "-I", Self.buildDirectory.appendingPathComponent("Modules").path,
                "-I", root + "/Sources/CLibB2", "-I", root + "/Sources/CZstd",
                "-Xcc", "-fmodule-map-file=" + Self.buildDirectory.appendingPathComponent("CEngramCRC32C.build/module.modulemap").path, file,
            ], program: URL(fileURLWithPath: "/usr/bin/env"))
            #expect(r.status == 0, "README Swift snippet \(i) (\(snippet.lines.first ?? "")): \(r.stderr)")
        }
    }

    /// The `Package.swift` lines are a manifest's dependency and product entries naming this
    /// package's `Engram` library.
    @Test func packageSnippetNamesEngramsLibrary() throws {
        let fragment = try Self.block("swift", startingWith: "// Package.swift").lines
        let dependency = try #require(fragment.first { $0.hasPrefix(".package(") })
        let product = try #require(fragment.first { $0.hasPrefix(".product(") })
        let url = try #require(dependency.firstMatch(of: /url: "([^"]+)"/)?.1)
        let identity = url.split(separator: "/").last.map { $0.lowercased().replacingOccurrences(of: ".git", with: "") }
        #expect(product.contains("package: \"\(identity ?? "")\""))
        let name = try #require(product.firstMatch(of: /name: "([^"]+)"/)?.1)
        let manifest = try String(contentsOf: TestFixtures.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".library(name: \"\(name)\", targets: [\"\(name)\"])"))

        let dir = TestDirectory.make("engram-readme-manifest")
        defer { TestDirectory.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/Sources/App", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: dir + "/Sources/App/main.swift", atomically: true, encoding: .utf8)
        try """
            // swift-tools-version: 6.1
            import PackageDescription
            let package = Package(name: "UsesEngram", dependencies: [
                \(dependency)
            ], targets: [.executableTarget(name: "App", dependencies: [
                \(product)
            ])])

            """.write(toFile: dir + "/Package.swift", atomically: true, encoding: .utf8)
        let dump = try CLIRunner.run(["swift", "package", "--package-path", dir, "dump-package"], program: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.output.contains(url))
    }

    @Test func jsonBlocksParseAndNameRealCommands() throws {
        let json = Self.blocks.filter { $0.language == "json" }
        // Two client configurations: `engram mcp` over stdio, and `engram serve`'s /mcp route.
        #expect(json.count == 2)
        var kinds: Set<String> = []
        for block in json {
            let config = try DAGJSON.decode(block.text.trimmingCharacters(in: .whitespacesAndNewlines))
            let server = try #require(config["mcpServers"]?["memory"])
            if let url = server["url"]?.stringValue {
                kinds.insert("http")
                #expect(server["type"] == "http")
                #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/mcp"), "\(url)")
                #expect(server["headers"]?["Authorization"]?.stringValue?.hasPrefix("Bearer ") == true)
            } else {
                kinds.insert("stdio")
                #expect(server["command"] == "engram")
                let args = server["args"]?.listValue?.compactMap(\.stringValue) ?? []
                #expect(args.first == "mcp")
                try Synopsis.check("engram " + args.joined(separator: " "))
            }
        }
        #expect(kinds == ["http", "stdio"])
    }

    /// Every command in a synopsis block or in inline code names a subcommand that exists, with
    /// options that command takes.
    @Test func synopsisCommandsAndOptionsExist() throws {
        var checked = 0
        for block in Self.blocks where block.language == "text" {
            for line in block.lines {
                // A comment starts at "  #"; commands are separated by "; ".
                let code = line.range(of: "  #").map { String(line[..<$0.lowerBound]) } ?? line
                for command in code.components(separatedBy: "; ") where command.trimmingCharacters(in: .whitespaces).hasPrefix("engram ") {
                    try Synopsis.check(command.trimmingCharacters(in: .whitespaces))
                    checked += 1
                }
            }
        }
        for span in ReadmeText.inlineCode(Self.readme) where span.hasPrefix("engram ") {
            try Synopsis.check(span)
            checked += 1
        }
        #expect(checked > 50)
    }
}

/// Checks a synopsis line (`engram node set <id> [--prop k=v] | ...`) against the CLI's help.
enum Synopsis {
    nonisolated(unsafe) static var helps: [[String]: String] = [:]
    static let lock = NSLock()

    static func help(_ path: [String]) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = helps[path] { return known }
        let r = try CLIRunner.run(path + ["--help"])
        let text = r.status == 0 ? r.output : ""
        helps[path] = text
        return text
    }

    /// The subcommands a help text lists.
    static func subcommands(_ help: String) -> Set<String> {
        guard let start = help.range(of: "\nSUBCOMMANDS:\n") else { return [] }
        return Set(help[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.dropFirst(2).split(separator: " ").first.map(String.init)
        })
    }

    /// The options a help text names (`--name`, `-x`).
    static func options(_ text: String) -> Set<String> {
        Set(text.matches(of: /(?:^|[^\w-])(--?[A-Za-z][\w-]*)/).map { String($0.output.1) })
    }

    /// Expands `a|b` subcommand alternatives; checks each path exists and takes the options named.
    static func check(_ command: String) throws {
        var rest = command.split(separator: " ").map(String.init).dropFirst()
        // A leading `-C <path>` is git's global form, taken before the parser sees the rest.
        while rest.first == "-C" { rest = rest.dropFirst(2) }
        var paths: [[String]] = [[]]
        while let word = rest.first, word.wholeMatch(of: /[a-z][a-z-]*(\|[a-z][a-z-]*)*/) != nil {
            let known = subcommands(try help(paths[0]))
            let choices = word.split(separator: "|").map(String.init)
            guard choices.allSatisfy(known.contains) else {
                // Below the root a group takes only its subcommands (at the root a word may be a
                // mistyped command, as the README shows one).
                let group = !paths[0].isEmpty && !known.isEmpty
                #expect(!group && !choices.contains(where: known.contains),
                        "README: `\(command)`: engram \(paths[0].joined(separator: " ")) has no \(choices.filter { !known.contains($0) })")
                break
            }
            paths = paths.flatMap { p in choices.map { p + [$0] } }
            rest = rest.dropFirst()
        }
        let named = options(rest.joined(separator: " "))
        for path in paths {
            let text = try help(path)
            #expect(!text.isEmpty, "README: `\(command)`: `engram \(path.joined(separator: " ")) --help` fails")
            let missing = named.subtracting(options(text))
            #expect(missing.isEmpty, "README: `\(command)`: engram \(path.joined(separator: " ")) takes no \(missing.sorted())")
        }
    }
}
