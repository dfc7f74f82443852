// CRC-32C with the CPU's instruction, selected at run time so one binary runs everywhere.
#include "engram_crc32c.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int engram_crc32c_hardware_available(void) { return __builtin_cpu_supports("sse4.2"); }

__attribute__((target("sse4.2")))
uint32_t engram_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const uint8_t *p = bytes;
    uint64_t c = ~crc;
    for (; count >= 8; p += 8, count -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
    }
    uint32_t c32 = (uint32_t)c;
    for (; count > 0; p++, count--) c32 = _mm_crc32_u8(c32, *p);
    return ~c32;
}

#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>

int engram_crc32c_hardware_available(void) { return 1; }

uint32_t engram_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const uint8_t *p = bytes;
    uint32_t c = ~crc;
    for (; count >= 8; p += 8, count -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __crc32cd(c, word);
    }
    for (; count > 0; p++, count--) c = __crc32cb(c, *p);
    return ~c;
}

#else

int engram_crc32c_hardware_available(void) { return 0; }

uint32_t engram_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
