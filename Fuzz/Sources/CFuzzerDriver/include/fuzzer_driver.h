#ifndef ENGRAM_FUZZER_DRIVER_H
#define ENGRAM_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for programs that have their own `main` (SwiftPM links an executable's
/// `main` to its module's entry point, so libFuzzer's own `main` is not used).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Fills the 65536-entry fanout table of a pack index (little-endian) from `count` 24-byte
/// entries, as the pack writer does: entry i of the table counts the keys whose top 16 bits are
/// <= i. In C so that the coverage instrumentation of the Swift harness does not dominate
/// each run with this loop's comparisons.
void engram_fuzz_fanout(uint32_t *table, const uint8_t *entries, size_t count);

/// Rewrites the file `fd` to hold `bytes`, writing only the 4 KiB pages that differ from
/// `previous` (what the file held, `previous_count` bytes), then copies `bytes` to `previous`,
/// which must have room for `count` bytes. Returns 0, or -1 when a write fails.
int engram_fuzz_rewrite(int fd, const uint8_t *bytes, uint8_t *previous, size_t count, size_t previous_count);

#endif
