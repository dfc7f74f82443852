#include <string.h>
#include <unistd.h>
#include "fuzzer_driver.h"

// LLVMFuzzerRunDriver is declared in the header and defined by libFuzzer.

void engram_fuzz_fanout(uint32_t *table, const uint8_t *entries, size_t count) {
    memset(table, 0, 65536 * sizeof(uint32_t));
    for (size_t i = 0; i < count; i++) {
        const uint8_t *key = entries + 24 * i;  // little-endian u64: bytes 6 and 7 are the top 16 bits
        table[(size_t)key[7] << 8 | key[6]] += 1;
    }
    for (size_t i = 1; i < 65536; i++) table[i] += table[i - 1];
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < 65536; i++) table[i] = __builtin_bswap32(table[i]);
#endif
}

int engram_fuzz_rewrite(int fd, const uint8_t *bytes, uint8_t *previous, size_t count, size_t previous_count) {
    for (size_t at = 0; at < count; at += 4096) {
        size_t n = count - at < 4096 ? count - at : 4096;
        if (at + n <= previous_count && memcmp(bytes + at, previous + at, n) == 0) continue;
        if (pwrite(fd, bytes + at, n, (off_t)at) != (ssize_t)n) return -1;
    }
    if (count != previous_count && ftruncate(fd, (off_t)count) != 0) return -1;
    memcpy(previous, bytes, count);
    return 0;
}
