import Foundation
import GeoKit
import Testing

/// GeoKit's `Parallel`: the one loop on all cores gives what the loop on one thread gives.
@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 7, 2048, 2049, 10_001])
    func mapGivesTheSerialMap(count: Int) {
        #expect(Parallel.map(count: count, chunk: 100) { $0 * $0 } == (0..<count).map { $0 * $0 })
        #expect(Parallel.map(count: count) { String($0) } == (0..<count).map { String($0) })
    }

    @Test func chunksCoverTheIndicesInOrder() {
        let ranges = Parallel.chunks(count: 10_001, chunk: 1000) { $0 }
        #expect(ranges.count == 11)
        #expect(ranges.first == 0..<1000 && ranges.last == 10_000..<10_001)
        #expect(ranges.flatMap { Array($0) } == Array(0..<10_001))
        #expect(Parallel.chunks(count: 0, chunk: 10) { $0 }.isEmpty)
    }

    /// Each worker has its own state: a counter per worker adds up to the count, and no state
    /// is seen by two workers (each records the worker it was made for).
    @Test func eachWorkerHasItsOwnState() throws {
        final class Tally {
            let worker: Int
            var seen = 0
            init(_ w: Int) { worker = w }
        }
        let made = LockedCounter()
        let perChunk = Parallel.chunks(
            count: 50_000, chunk: 512,
            state: { w -> Tally in
                made.add()
                return Tally(w)
            }
        ) { tally, range in
            tally.seen += range.count
            return (tally.worker, tally.seen)
        }
        #expect(made.value == min(Parallel.defaultWorkers, perChunk.count))
        // Worker w runs chunks w, w + workers, …: its running total grows along them.
        let workers = made.value
        for (c, r) in perChunk.enumerated() { #expect(r.0 == c % workers) }
        var last: [Int: Int] = [:]
        for r in perChunk { last[r.0] = r.1 }
        #expect(last.values.reduce(0, +) == 50_000)
    }

    @Test func aStateThatCannotBeMadeIsThrownBeforeAnyWork() {
        struct Refused: Error {}
        let ran = LockedCounter()
        #expect(throws: Refused.self) {
            _ = try Parallel.map(
                count: 10_000, chunk: 10,
                state: { w -> Int in
                    if w == Parallel.defaultWorkers - 1 { throw Refused() }
                    return w
                }
            ) { _, i in
                ran.add()
                return i
            }
        }
        #expect(ran.value == 0)
    }
}

/// A counter several threads may add to.
private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() {
        lock.lock()
        n += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return n
    }
}
