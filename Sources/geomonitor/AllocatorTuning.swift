#if os(Linux)
    import CAllocator
#endif

/// Settings of the C allocator (glibc malloc) for this process, made before any command runs.
///
/// A run builds and drops large arrays (features, coordinates, batches of 4,096 geometries) on
/// several threads. By default glibc serves each block over 128 KiB (a threshold it raises as
/// blocks are freed) with its own `mmap` and gives it back with `munmap` when freed, and it
/// returns free heap above 128 KiB to the system: the next block of that size is mapped and
/// page-faulted again, and unmapping flushes the other threads' TLBs.
///
/// Here blocks up to 32 MiB come from the heap, which grows 16 MiB at a time and keeps up to
/// 256 MiB free before trimming (a long-running `serve` keeps that much after a large request).
/// Over 200,000 plots in a VN-2000 GeoPackage and 12 detailed districts (`progress --target`,
/// 7 interleaved runs): page faults 33,000 → 28,800, system time 0.17 → 0.13 s, wall median
/// 0.43 → 0.41 s; peak memory 174 → 179 MB. See `mallopt(3)`.
enum AllocatorTuning {
    /// Applies the settings; does nothing where the C library is not glibc.
    static func apply() {
        #if os(Linux)
            _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
            _ = mallopt(M_TOP_PAD, 16 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        #endif
    }
}
