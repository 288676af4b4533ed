import Dispatch
import Foundation

/// Where expensive answers are computed: a progress layer at a new (target, as-of), a box over
/// most of a large layer, a page of thousands of features, a large body to compress. They run one
/// at a time on a thread of their own, off the threads that answer cheap requests, so a client
/// sending expensive requests slows only itself; past ``maxWaiting`` queued jobs the server
/// answers 503 with `Retry-After`.
final class HeavyLane: @unchecked Sendable {
    private let queue = DispatchQueue(label: "geomonitor.heavy", qos: .utility)
    private let lock = NSLock()
    private var waiting = 0
    /// Jobs queued or running beyond which a new one is refused.
    let maxWaiting: Int

    init(maxWaiting: Int = 32) { self.maxWaiting = maxWaiting }

    /// Runs `work` on the lane and returns its result (or rethrows its error).
    /// - Throws: `APIError` 503 when ``maxWaiting`` jobs are already queued.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted: Bool = lock.withLock {
            guard waiting < maxWaiting else { return false }
            waiting += 1
            return true
        }
        guard admitted else {
            throw APIError(503, "ServiceUnavailable", "the server is busy with expensive requests; retry in a moment")
        }
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, Error>) in
            queue.async {
                let result = Result { try work() }
                self.lock.withLock { self.waiting -= 1 }
                cont.resume(with: result)
            }
        }
    }
}
