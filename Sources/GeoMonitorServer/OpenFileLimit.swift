#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit of open files, which bounds how many connections it can hold.
public enum OpenFileLimit {
    /// Raises the soft limit of open files to the hard limit (at most `ceiling`).
    /// - Returns: the soft limit in force afterwards.
    @discardableResult
    public static func raise(ceiling: UInt64 = 65_536) -> Int {
        var r = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &r) == 0 else { return 1024 }
        let want = min(UInt64(r.rlim_max), ceiling)
        if UInt64(r.rlim_cur) < want {
            var n = r
            n.rlim_cur = rlim_t(want)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &n) == 0 { r = n }
        }
        return Int(min(UInt64(r.rlim_cur), UInt64(Int.max)))
    }
}
