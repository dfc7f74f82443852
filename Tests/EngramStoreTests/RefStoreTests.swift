import EngramIPLD
import Testing
@testable import EngramStore

@Suite struct RefStoreTests {
    @Test func compareAndSwapAndReflog() throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let refs = store.refs
        #expect(try refs.get("HEAD") == .symbolic("refs/heads/main"))
        #expect(try refs.resolve("HEAD") == nil)
        let a = try node("a", links: []), b = try node("b", links: [a.cid])
        try store.commit(blocks: [a], refUpdates: [.move("refs/heads/main", from: nil, to: a.cid)], message: "first")
        #expect(throws: StoreError.refConflict(name: "refs/heads/main", expected: nil, actual: a.cid)) {
            try store.commit(blocks: [b], refUpdates: [.move("refs/heads/main", from: nil, to: b.cid)])
        }
        #expect(try store.get(b.cid) == nil, "a refused commit writes nothing")
        try store.commit(blocks: [b], refUpdates: [.move("refs/heads/main", from: a.cid, to: b.cid)], message: "second")
        #expect(try refs.resolve("HEAD") == b.cid)
        try refs.set("refs/heads/topic", to: .cid(a.cid), expected: .absent)
        #expect(refs.list(prefix: "refs/heads/").map(\.name) == ["refs/heads/main", "refs/heads/topic"])
        let log = refs.reflog("refs/heads/main")
        #expect(log.map(\.message) == ["first", "second"])
        #expect(log.map(\.old) == [nil, .cid(a.cid)])
        try store.close()

        let reopened = try FileBlockStore.open(at: dir.store, options: testOptions())
        #expect(try reopened.refs.resolve("HEAD") == b.cid)
        #expect(reopened.refs.reflog("refs/heads/main") == log)
        try reopened.compact()
        try reopened.commit(blocks: [], refUpdates: [RefUpdate(name: "refs/heads/topic", expected: .any, new: nil)])
        try reopened.close()
        let again = try FileBlockStore.open(at: dir.store, options: testOptions(segmentSize: 64))
        #expect(try again.refs.get("refs/heads/topic") == nil)
        #expect(again.refs.reflog().count == 4)
    }

    @Test(arguments: ["main", "refs/heads/", "refs/heads/a..b", "refs/heads/.x", "refs/heads/x.lock", "refs/heads/a b", "refs//x", "refs/heads/a~1"])
    func invalidNamesAreRefused(_ name: String) throws {
        let dir = TempDirectory()
        defer { dir.cleanup() }
        let store = try FileBlockStore.create(at: dir.store, options: testOptions())
        let a = try node("a", links: [])
        #expect(throws: StoreError.invalidRefName(name)) {
            try store.commit(blocks: [a], refUpdates: [.move(name, from: nil, to: a.cid)])
        }
        #expect(try store.get(a.cid) == nil)
    }
}
