import EngramTestSupport
import Foundation

/// The README as the tests read it: its fenced blocks, its inline code, and a fresh copy of
/// the repository to run them in.
enum ReadmeText {
    /// A fenced block: its language tag and its lines.
    struct Block: Equatable {
        var language: String
        var lines: [String]
        var text: String { lines.joined(separator: "\n") + "\n" }
    }

    static func readme() throws -> String {
        try String(contentsOf: TestFixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// Every fenced block of `markdown`, in order.
    static func blocks(_ markdown: String) -> [Block] {
        var out: [Block] = []
        var current: Block?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let block = current {
                    out.append(block)
                    current = nil
                } else {
                    current = Block(language: String(line.dropFirst(3)), lines: [])
                }
            } else {
                current?.lines.append(line)
            }
        }
        return out
    }

    /// The inline code spans of `markdown` outside fenced blocks.
    static func inlineCode(_ markdown: String) -> [String] {
        var prose = ""
        var fenced = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { fenced.toggle() } else if !fenced { prose += line + "\n" }
        }
        // Spans may wrap across lines, as Markdown allows.
        return prose.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { $0.element.replacingOccurrences(of: "\n", with: " ") }
    }

    /// A copy of the repository's tracked files as they are now (what a fresh clone holds, with
    /// this worktree's edits), without `.build`.
    static func freshCopy() throws -> URL {
        let root = TestFixtures.packageRoot
        let listed = try CLIRunner.run(["-C", root.path, "ls-files", "-z"], program: URL(fileURLWithPath: "/usr/bin/git"))
        guard listed.status == 0 else { throw CopyError(reason: "git ls-files: \(listed.stderr)") }
        let copy = URL(fileURLWithPath: TestDirectory.make("engram-readme-clone"))
        for path in listed.stdout.split(separator: 0).map({ String(decoding: $0, as: UTF8.self) }) {
            let source = root.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }   // deleted, not yet committed
            let target = copy.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        return copy
    }

    struct CopyError: Error { var reason: String }

    /// Runs `script` with bash in `directory`; `ENGRAM_REPO` unset, `environment` added.
    static func bash(_ script: String, in directory: URL, environment: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(["-euo", "pipefail", "-c", script], directory: directory, environment: environment,
                          program: URL(fileURLWithPath: "/bin/bash"))
    }
}
