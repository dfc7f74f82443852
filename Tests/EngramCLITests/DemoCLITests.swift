import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// The README's first command, `bash scripts/demo.sh`, run as written on a fresh copy of the
/// repository (with the `engram` these tests were built with instead of a release build, through
/// `ENGRAM_BIN`), and its story checked twice: in what it printed, and in the repositories it
/// left behind (`ENGRAM_DEMO_DIR`), read back independently.
struct DemoCLITests {
    static let ada = "01937000-0000-7000-8000-00000000000a"
    static let dark = "01937000-0000-7000-8000-0000000000d1"
    static let editor = "01937000-0000-7000-8000-0000000000e1"
    static let neovim = "01937000-0000-7000-8000-0000000000e2"
    static let note1 = "01937000-0000-7000-8000-0000000000b1"
    static let note2 = "01937000-0000-7000-8000-0000000000b2"
    static var cid: Regex<Substring> { /bafyrei[a-z2-7]{52}/ }

    /// The demo's output cut at its `== <title>` step headers: the lines under each title.
    struct Story {
        var steps: [(title: String, lines: [String])] = []

        init(_ output: String) {
            for line in output.split(separator: "\n").map(String.init) {
                if line.hasPrefix("== ") { steps.append((String(line.dropFirst(3)), [])) } else if !steps.isEmpty {
                    steps[steps.count - 1].lines.append(line)
                }
            }
        }

        /// The lines of the one step whose title starts with `prefix`.
        func step(_ prefix: String) throws -> [String] {
            let found = steps.filter { $0.title.hasPrefix(prefix) }
            guard found.count == 1 else { throw StoryError(reason: "\(found.count) steps titled '\(prefix)...'") }
            return found[0].lines
        }

        /// The lines a command printed: those after `$ engram <command>` up to the next `$ `.
        func output(of command: String, in step: [String]) throws -> [String] {
            guard let start = step.firstIndex(of: "$ engram " + command) else { throw StoryError(reason: "no '$ engram \(command)'") }
            return Array(step[(start + 1)...].prefix { !$0.hasPrefix("$ ") })
        }
    }

    struct StoryError: Error { var reason: String }

    @Test func theReadmesFirstCommandTellsTheWholeStory() throws {
        let readme = try ReadmeText.readme()
        let command = try #require(ReadmeText.blocks(readme).first?.lines.first)
        #expect(command.hasPrefix("bash scripts/demo.sh "))
        let copy = try ReadmeText.freshCopy()
        defer { TestDirectory.remove(copy.path) }
        let work = TestDirectory.path("engram-demo")
        defer { TestDirectory.remove(work) }
        let run = try ReadmeText.bash(command, in: copy, environment: ["ENGRAM_BIN": CLIRunner.executable.path, "ENGRAM_DEMO_DIR": work])
        #expect(run.status == 0, "demo failed: \(run.stderr)")
        let story = Story(run.output)
        #expect(run.output.hasSuffix("\ndemo complete\n"))
        try checkPrinted(story, work: work)
        try checkRepositories(work)
    }

    /// Each step printed what it shows.
    func checkPrinted(_ story: Story, work: String) throws {
        #expect(try story.step("A new memory repository") == ["$ engram init", "Initialized empty Engram repository in ./.engram (sha2-256)"])

        let session = try story.step("The agent's first session")
        #expect(try story.output(of: "status", in: session).filter { $0.hasPrefix("put-") }.count == 5)
        let first = try #require(session.last?.wholeMatch(of: /commit (bafyrei[a-z2-7]{52})/)?.1)

        let explore = try story.step("Explore on a branch")
        #expect(explore.contains("$ engram branch explore"))
        #expect(explore.last?.wholeMatch(of: Self.cid) != nil)

        let diff = try story.step("What the branch changed")
        #expect(diff.count == 4)
        #expect(diff.prefix(3) == [
            "$ engram diff main explore",
            "~ node \(Self.dark) props.importance: 0.8 -> 0.3, props.value: \"dark\" -> \"light\"",
            "- node 01937000-0000-7000-8000-0000000000f1 Episode",
        ])
        #expect(diff.last?.wholeMatch(of: /- edge [0-9a-f-]{36} 01937000-0000-7000-8000-00000000000a MENTIONED_IN 01937000-0000-7000-8000-0000000000f1/) != nil)

        let merge = try story.step("Merge the exploration back")
        #expect(merge[1].wholeMatch(of: /merged bafyrei[a-z2-7]{5,}/) != nil)
        #expect(try story.output(of: "log", in: merge).filter { $0.hasPrefix("    ") }
            == ["    merge explore", "    episode", "    user may prefer light theme", "    first session"])

        // One conflict, as data, then settled property by property.
        let conflict = try story.step("Two sessions disagree on one property")
        let report = try DAGJSON.decode(try #require(try story.output(of: "merge explore --json", in: conflict).first { $0.hasPrefix("{\"conflicts\"") }))
        #expect(report == ["result": "conflict", "conflicts": [[
            "entity": "node", "id": .string(Self.dark), "kind": "field", "field": "props.importance",
            "base": 0.3, "ours": 0.9, "theirs": 0.1, "resolve": .string("\(Self.dark).props.importance"),
        ]]])
        #expect(conflict.contains("(conflict, exit 3: nothing changed)"))
        let settled = try story.output(of: "merge explore --resolve \(Self.dark).importance=theirs --time 1763800240000000", in: conflict)
        #expect(settled.count == 2)
        #expect(settled.first?.hasPrefix("merged bafyrei") == true)
        #expect(settled.last == "resolved: node \(Self.dark) props.importance: base 0.3, ours 0.9, theirs 0.1")
        #expect(try story.output(of: "node get \(Self.dark)", in: conflict)
            == ["\(Self.dark) Preference {\"importance\":0.1,\"note\":\"only at night\",\"topic\":\"theme\",\"value\":\"light\"}"])

        let queries = try story.step("Queries at the new head")
        #expect(try story.output(of: "query --label Preference --range importance:0.1:0.5", in: queries) == [Self.dark])
        #expect(try story.output(of: "neighbors \(Self.ada) --out", in: queries).map { $0.split(separator: " ")[0] }.sorted()
            == ["01937000-0000-7000-8000-0000000000f1", Self.dark, Self.editor].sorted().map { Substring($0) })

        // Recall: the text lane finds the editor and the vim note, one hop brings Ada along;
        // text and vector lanes together rank the two notes.
        let recall = try story.step("Recall")
        let ranked = try story.output(of: "recall editor vim --expand 1 --budget 120", in: recall)
        #expect(ranked.first?.hasPrefix("1. \(Self.editor) Tool ") == true)
        #expect(ranked.contains { $0.hasPrefix("2. \(Self.ada) Person ") && $0.contains("1 hop from \(Self.editor)") })
        #expect(ranked.contains { $0.hasPrefix("3. \(Self.note1) Note ") && $0.contains("(vim)") })
        #expect(ranked.last?.wholeMatch(of: /used \d+ of 120 tokens; 1 more did not fit/) != nil)
        let fused = try DAGJSON.decode(try #require(try story.output(of: "recall editor --vector-file query.json --model toy-3d --label Note --json", in: recall).first))
        #expect(fused["items"]?.listValue?.compactMap { $0["node"]?["id"]?.stringValue } == [Self.note2, Self.note1])
        #expect(fused["items"]?[1]?["reasons"]?[0]?["lane"] == "vector")

        let valid = try story.step("Valid time")
        #expect(try story.output(of: "query --label Tool", in: valid) == [Self.neovim])
        #expect(try story.output(of: "query --label Tool --valid-at 2025-11-22T08:00:00Z", in: valid) == [Self.editor])
        #expect(try story.output(of: "query --label Tool --valid-at any --count", in: valid) == ["2"])

        let travel = try story.step("Time travel")
        #expect(try DAGJSON.decode(try #require(try story.output(of: "node get \(Self.dark) --at \(first) --json", in: travel).first))["props"]
            == ["importance": 0.8, "topic": "theme", "value": "dark"])

        let codecs = try story.step("Codecs and CIDs")
        #expect(codecs.count == 3 && codecs[1] == codecs[2] && codecs[1].wholeMatch(of: Self.cid) != nil, "one address for both key orders")

        // Sync: the clone, agent B's push, agent C's over HTTP (refused without the token).
        let sync = try story.step("Sync:")
        #expect(sync.contains("Cloned \(work) into agent-b"))
        #expect(sync.contains { $0.hasPrefix("refs/heads/main: ") && $0.wholeMatch(of: /refs\/heads\/main: \S+ -> bafyrei[a-z2-7]{52}/) != nil })
        #expect(try story.output(of: "log --oneline", in: sync).first?.hasSuffix(" agent B: editor") == true)
        let http = try story.step("Over HTTP")
        #expect(http.contains { $0.wholeMatch(of: /Cloned http:\/\/127\.0\.0\.1:\d+ into agents\/agent-c/) != nil })
        #expect(http.contains("(refused without the token, exit 77)"))
        let head = try story.output(of: "log --oneline", in: http)
        #expect(head.count == 2 && head[0].hasSuffix(" agent C: talk") && head[1].hasSuffix(" agent B: editor"))

        let car = try story.step("Portable history")
        #expect(try story.output(of: "car import last.car --ref main -C archive-copy", in: car).last?.hasPrefix("refs/heads/main -> bafyrei") == true)
        #expect(try story.output(of: "log --oneline -C archive-copy", in: car) == head)

        #expect(try story.step("Damage is reported").contains("(refused, exit 6; the file is untouched)"))

        let health = try story.step("Store health")
        for repo in ["fsck", "fsck -C agents/agent-c", "fsck -C archive-copy"] {
            let line = try story.output(of: repo, in: health)
            #expect(line.count == 1 && line[0].wholeMatch(of: /checked \d+ blocks, \d+ refs, \d+ packs: clean/) != nil, "\(repo): \(line)")
        }

        let refused = try story.step("Bad input is refused")
        #expect(refused.filter { $0.hasPrefix("(refused") }.map { $0.prefix { $0 != ":" && $0 != ")" } }
            == ["(refused, exit 1", "(refused when staged, exit 4", "(refused, exit 3", "(refused, exit 1"])
        #expect(try story.output(of: "status", in: refused) == ["on branch main", "nothing staged"])
    }

    /// The repositories the demo left: the memory's history, its branches and node values, and
    /// the copies made by push, HTTP clone and CAR import, each fsck-clean and at the same head.
    func checkRepositories(_ work: String) throws {
        func engram(_ args: [String], in dir: String = work) throws -> [IPLD] {
            let r = try CLIRunner.run(["-C", dir] + args)
            #expect(r.status == 0, "engram -C \(dir) \(args.joined(separator: " ")): \(r.stderr)")
            return try r.output.split(separator: "\n").map { try DAGJSON.decode(String($0)) }
        }
        let history = try engram(["log", "--json", "--first-parent"])
        #expect(history.compactMap { $0["message"]?.stringValue } == [
            "agent C: talk", "agent B: editor", "Ada switched to neovim", "two notes", "merge explore",
            "user insists: dark matters", "merge explore", "episode", "first session",
        ])
        #expect(history.map { $0["parents"]?.listValue?.count } == [1, 1, 1, 1, 2, 1, 2, 1, 0])
        let head = try #require(history.first?["cid"])
        let branches = try engram(["branch", "--json"])
        #expect(branches.compactMap { $0["name"]?.stringValue } == ["explore", "main"])
        #expect(try engram(["node", "get", Self.dark, "--json"]).first?["props"]?["importance"] == 0.1)

        for copy in ["agents/agent-c", "archive-copy"] {
            #expect(try engram(["log", "--json", "-n", "1"], in: work + "/" + copy).first?["cid"] == head, "\(copy) is at main's head")
        }
        #expect(try engram(["log", "--json", "-n", "1"], in: work + "/agents/agent-b").first?["cid"] == history[1]["cid"])
        for dir in ["", "/agents/agent-b", "/agents/agent-c", "/archive-copy"] {
            let report = try #require(try engram(["fsck", "--json"], in: work + dir).first)
            #expect(report["clean"] == true && report["problems"] == [], "fsck \(work + dir): \(report)")
        }
    }
}
