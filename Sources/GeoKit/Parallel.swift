import Foundation

/// Loops over `0..<count` run on all cores, in chunks, with their results in index order.
///
/// The one place that splits work between threads: a caller gives a count, a chunk size and the
/// work for one index (``map(count:chunk:_:)``) or one chunk (``chunks(count:chunk:_:)``), and
/// gets back an array as the loop run on one thread would give it. Chunks go to the workers in
/// turn (worker `w` takes chunks `w`, `w + workers`, …); what a worker keeps between its chunks
/// (a cache, a PROJ transformation, a GEOS index) is its own `State`, made for it on the calling
/// thread, so that nothing that is not thread-safe is shared.
///
/// ```swift
/// let areas = Parallel.map(count: plots.count) { i in Geodesic.wgs84.area(plots[i]) }
/// ```
public enum Parallel {
    /// The number of workers a loop uses at most: the active processors, and no more than 8
    /// (beyond that, the loops this package runs gain little and hold more memory).
    public static var defaultWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `transform(i)` for every `i` in `0..<count`, computed a chunk of indices at a time on up
    /// to ``defaultWorkers`` threads; the result is `(0..<count).map(transform)`.
    /// - Parameters:
    ///   - count: the number of indices.
    ///   - chunk: indices per chunk (at least 1); fewer than two chunks run on the calling thread.
    ///   - transform: the value for one index; runs on several threads at once.
    public static func map<T>(count: Int, chunk: Int = 2048, _ transform: @Sendable (Int) -> T) -> [T] {
        map(count: count, chunk: chunk, state: { _ in () }) { _, i in transform(i) }
    }

    /// ``map(count:chunk:_:)`` with a state per worker: `transform` gets the state of the worker
    /// that runs it, which no other thread sees (one PROJ transformation or GEOS index per thread).
    /// - Parameters:
    ///   - count: the number of indices.
    ///   - chunk: indices per chunk (at least 1); fewer than two chunks run on the calling thread.
    ///   - makeState: makes worker `w`'s state (`w` from 0), on the calling thread, before the
    ///     loop; each must be a value of its own (a clone, not a shared object: the result is
    ///     `sending`, so the compiler checks it). An error it throws is rethrown before any work
    ///     starts.
    ///   - transform: the value for one index, with the state of its worker.
    public static func map<State, T>(
        count: Int, chunk: Int = 2048, state makeState: (_ worker: Int) throws -> sending State,
        _ transform: @Sendable (inout State, Int) -> T
    ) rethrows -> [T] {
        guard count > 0 else { return [] }
        return try Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            try forEachChunk(count: count, chunk: chunk, state: makeState) { state, _, range in
                for i in range { (out.baseAddress.unsafelyUnwrapped + i).initialize(to: transform(&state, i)) }
            }
            initialized = count
        }
    }

    /// `body(range)` for consecutive ranges of `chunk` indices covering `0..<count` (the last one
    /// shorter), on up to ``defaultWorkers`` threads; the results in range order.
    /// - Parameters:
    ///   - count: the number of indices.
    ///   - chunk: indices per range (at least 1); a single range runs on the calling thread.
    ///   - body: the result for one range; runs on several threads at once.
    public static func chunks<R>(count: Int, chunk: Int, _ body: @Sendable (Range<Int>) -> R) -> [R] {
        chunks(count: count, chunk: chunk, state: { _ in () }) { _, range in body(range) }
    }

    /// ``chunks(count:chunk:_:)`` with a state per worker (see ``map(count:chunk:state:_:)``).
    /// - Parameters:
    ///   - count: the number of indices.
    ///   - chunk: indices per range (at least 1); a single range runs on the calling thread.
    ///   - makeState: makes worker `w`'s state, on the calling thread, before the loop.
    ///   - body: the result for one range, with the state of its worker.
    public static func chunks<State, R>(
        count: Int, chunk: Int, state makeState: (_ worker: Int) throws -> sending State,
        _ body: @Sendable (inout State, Range<Int>) -> R
    ) rethrows -> [R] {
        let n = chunkCount(count, chunk)
        guard n > 0 else { return [] }
        return try Array(unsafeUninitializedCapacity: n) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            try forEachChunk(count: count, chunk: chunk, state: makeState) { state, c, range in
                (out.baseAddress.unsafelyUnwrapped + c).initialize(to: body(&state, range))
            }
            initialized = n
        }
    }

    private static func chunkCount(_ count: Int, _ chunk: Int) -> Int {
        count <= 0 ? 0 : (count + max(1, chunk) - 1) / max(1, chunk)
    }

    /// Worker `w` visits chunks `w`, `w + workers`, … with its own state; every chunk is visited
    /// exactly once, and the call returns when all are.
    private static func forEachChunk<State>(
        count: Int, chunk: Int, state makeState: (Int) throws -> sending State,
        _ visit: @Sendable (inout State, _ chunk: Int, Range<Int>) -> Void
    ) rethrows {
        let size = max(1, chunk)
        let chunks = chunkCount(count, size)
        let workers = max(1, min(chunks, defaultWorkers))
        var states: [State] = []
        states.reserveCapacity(workers)
        for w in 0..<workers { states.append(try makeState(w)) }
        if workers == 1 {
            for c in 0..<chunks { visit(&states[0], c, (c * size)..<min(count, (c + 1) * size)) }
            return
        }
        states.withUnsafeMutableBufferPointer { buffer in
            // Each state is made for one worker and only that worker touches it.
            nonisolated(unsafe) let states = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var c = w
                while c < chunks {
                    visit(&states[w], c, (c * size)..<min(count, (c + 1) * size))
                    c += workers
                }
            }
        }
    }
}
