import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where expensive answers are computed: a progress layer at a new (target, as-of), a box over
/// most of a large layer, a page of thousands of features, a large body to compress. They run one
/// at a time on a thread of their own at a lower scheduling priority (nice +10), off the threads
/// that answer cheap requests, so a client sending expensive requests slows mostly itself; past
/// ``maxWaiting`` queued jobs the server answers 503 with `Retry-After`.
final class HeavyLane: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var started = false
    /// Jobs queued or running beyond which a new one is refused.
    let maxWaiting: Int
    private var waiting = 0

    init(maxWaiting: Int = 32) { self.maxWaiting = maxWaiting }

    /// Runs `work` on the lane and returns its result (or rethrows its error).
    /// - Throws: `APIError` 503 when ``maxWaiting`` jobs are already queued.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, Error>) in
            condition.lock()
            guard waiting < maxWaiting else {
                condition.unlock()
                cont.resume(
                    throwing: APIError(
                        503, "ServiceUnavailable", "the server is busy with expensive requests; retry in a moment"))
                return
            }
            waiting += 1
            jobs.append { cont.resume(with: Result { try work() }) }
            if !started {
                started = true
                let thread = Thread { [self] in loop() }
                thread.name = "geomonitor-heavy"
                thread.start()
            }
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        #if os(Linux)
            // This thread only: on Linux, who = 0 is the calling thread (nice values are per thread).
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
            waiting -= 1
            condition.unlock()
        }
    }
}
