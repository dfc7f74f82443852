// The agent-memory story, told through the Swift API: the tutorial "Give your agent a versioned
// memory" (Sources/Engram/Engram.docc) walks through this code, the AgentMemory example prints
// it, and EngramSyncTests runs it (this file is linked there) so that none of them can rot.
import Engram
import EngramCAR
import EngramIPLD
import EngramSync

/// What the story did, for its test to check.
struct AgentMemoryStoryOutcome {
    var sessions: [CID] = []
    var recalled: [String] = []
    var conflicts: [MergeConflict] = []
    var merged: CID?
    var themeNow: IPLD?
    var themeThen: IPLD?
    var archiveBlocks = 0
    var importedHead: CID?
    var clonedHead: CID?
}

/// Tells the story in `directory` (which must exist and be empty), saying each step.
func tellAgentMemoryStory(in directory: String, say: (String) -> Void) async throws -> AgentMemoryStoryOutcome {
    var outcome = AgentMemoryStoryOutcome()

    // 1. A repository: a store on disk, with an unborn branch `main`.
    let memoryPath = directory + "/memory"
    let memory = try Repository.create(at: memoryPath)

    // 2. Two sessions, each one commit. The closure stages changes; `write` commits them.
    let (first, ids) = try memory.writeReturning(CommitInfo(author: "agent-1", message: "session 1: meet Zoë")) { tx in
        let user = tx.addNode(label: "User", props: ["name": "Zoë"])
        let theme = tx.addNode(label: "Preference", props: ["topic": "theme", "value": "dark", "importance": 0.9])
        tx.addEdge(from: user, "PREFERS", to: theme)
        let note = tx.addNode(label: "Observation", props: ["text": "asks for short answers", "importance": 0.4])
        tx.addEdge(from: user, "SAID", to: note)
        return (user: user, theme: theme)
    }
    say("session 1 committed \(first)")
    let second = try memory.write(CommitInfo(author: "agent-1", message: "session 2: where Zoë works")) { tx in
        let note = tx.addNode(label: "Observation", props: ["text": "works from a café in Zürich", "importance": 0.7])
        tx.addEdge(from: ids.user, "SAID", to: note)
    }
    say("session 2 committed \(second)")
    outcome.sessions = [first, second]

    // 3. Recall: the observations that matter most, from the props index (no scan).
    outcome.recalled = try memory.read { snapshot in
        var important = try snapshot.nodes(label: "Observation", where: "importance", from: 0.5, to: nil)
        return try important.collect().compactMap { id in try snapshot.node(id)?.props["text"]?.stringValue }
    }
    say("recalled: \(outcome.recalled.joined(separator: "; "))")

    // 4. A branch to explore a hypothesis, while the main line moves on.
    try memory.createBranch("hypothesis", at: second)
    let hypothesis = try memory.write(on: "hypothesis", CommitInfo(author: "agent-1", message: "hypothesis: light theme")) { tx in
        try tx.updateNode(ids.theme, props: .patch(["value": "light", "reason": "works outdoors"]))
    }
    let third = try memory.write(CommitInfo(author: "agent-1", message: "session 3: high contrast")) { tx in
        try tx.updateNode(ids.theme, props: .patch(["value": "high-contrast"]))
    }
    let diff = try memory.diff(third, hypothesis)
    say("main and hypothesis differ in \(diff.nodes.count) node(s)")

    // 5. Merge back: the conflict comes as a typed error naming the property and both sides.
    do {
        _ = try memory.merge(hypothesis, into: "main", CommitInfo(author: "agent-1", message: "merge hypothesis"))
    } catch {
        guard case .mergeConflict(let conflicts) = error else { throw error }
        outcome.conflicts = conflicts
        for conflict in conflicts { say("conflict: \(conflict)") }
    }
    // Settle it: keep our value for the conflicting property; the branch's other change
    // (the new "reason" property) merges cleanly.
    let merge = try memory.merge(hypothesis, into: "main", policy: .ours,
                                 CommitInfo(author: "agent-1", message: "merge hypothesis, keep high contrast"))
    outcome.merged = merge.commit
    say("merged as \(merge.commit)")

    // 6. As-of reads: any commit is a snapshot, read lazily.
    outcome.themeNow = try memory.read { try $0.node(ids.theme)?.props["value"] }
    outcome.themeThen = try memory.read(at: first) { try $0.node(ids.theme)?.props["value"] }
    say("the theme is \(outcome.themeNow?.stringValue ?? "?") now, was \(outcome.themeThen?.stringValue ?? "?") after session 1")

    // 7. Sync offline: a CAR archive of main, imported into another repository.
    let archivePath = directory + "/memory.car"
    let file = try CARFile.create(writing: archivePath)
    let written = try memory.exportCAR(roots: [merge.commit]) { try file.write($0) }
    try file.close()
    outcome.archiveBlocks = written.blocks
    let copy = try Repository.create(at: directory + "/from-archive")
    var reader = try CARReader(path: archivePath)
    _ = try copy.importCAR(&reader, ref: Repository.branchRef("main"))
    outcome.importedHead = try copy.head()
    say("exported \(written.blocks) blocks; the archive's copy is at \(outcome.importedHead.map { "\($0)" } ?? "nothing")")
    try copy.close()

    // 8. Sync by clone: close the repository (flushes, releases the writer lock), then clone it
    // through its directory, as another process would.
    try memory.close()
    let clone = try Repository.create(at: directory + "/clone")
    _ = try await clone.cloneContents(from: DirectoryEndpoint(path: memoryPath))
    outcome.clonedHead = try clone.head()
    say("cloned: main is at \(outcome.clonedHead.map { "\($0)" } ?? "nothing")")
    try clone.close()
    return outcome
}
