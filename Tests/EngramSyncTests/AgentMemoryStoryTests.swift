import Engram
import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Runs the agent-memory story (AgentMemoryStory.swift, shared with Examples/AgentMemory and
/// the DocC tutorial) and checks what each step did.
struct AgentMemoryStoryTests {
    @Test func theStoryRunsAsTheTutorialTellsIt() async throws {
        let directory = TestDirectory.make("agent-story")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var lines: [String] = []
        let outcome = try await tellAgentMemoryStory(in: directory) { lines.append($0) }

        #expect(outcome.sessions.count == 2)
        #expect(outcome.recalled == ["works from a café in Zürich"])
        // One conflict: both sides set the theme's value; "reason" merged cleanly.
        #expect(outcome.conflicts.count == 1)
        if case .field(let field, let base, let ours, let theirs)? = outcome.conflicts.first?.kind {
            #expect(field == .prop("value"))
            #expect([base, ours, theirs] == [.string("dark"), .string("high-contrast"), .string("light")])
        } else {
            Issue.record("expected a property conflict, got \(outcome.conflicts)")
        }
        #expect(outcome.themeNow == .string("high-contrast"))
        #expect(outcome.themeThen == .string("dark"))
        #expect(outcome.archiveBlocks > 0)
        // The archive's copy and the clone hold exactly the merged history.
        #expect(outcome.importedHead == outcome.merged)
        #expect(outcome.clonedHead == outcome.merged)
        let clone = try Repository.open(at: directory + "/clone")
        defer { try? clone.close() }
        let merged = try #require(outcome.merged)
        #expect(try clone.commit(merged).parents.count == 2)
        let reasons: [IPLD] = try clone.read { snapshot in
            var themes = try snapshot.nodes(label: "Preference", where: "topic", equals: "theme")
            return try themes.collect().compactMap { try snapshot.node($0)?.props["reason"] }
        }
        #expect(reasons == [.string("works outdoors")])
        #expect(lines.count == 9)
        #expect(lines.contains { $0.hasPrefix("conflict: node ") && $0.contains("props.value") })
    }
}
