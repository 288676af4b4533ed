import Foundation

/// A progress line on standard error for long reads: shown only when standard error is a terminal
/// and the job has run for more than a second; cleared when done.
final class ProgressLine {
    let label: String
    let enabled: Bool
    let start = Date()
    var total: Int64?
    let totalProvider: () -> Int64
    var shown = false

    init(label: String, total: @escaping () -> Int64) {
        self.label = label
        self.totalProvider = total
        enabled = isatty(2) != 0
    }

    func update(_ n: Int) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        if total == nil { total = totalProvider() }
        let t = total.map { $0 > 0 ? " of \($0)" : "" } ?? ""
        FileHandle.standardError.write(Data("\r\(label): \(n)\(t) features".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
