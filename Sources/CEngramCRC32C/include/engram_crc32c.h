#ifndef ENGRAM_CRC32C_H
#define ENGRAM_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction (SSE 4.2 on x86-64, the CRC extension on ARMv8).
int engram_crc32c_hardware_available(void);

/// CRC-32C of `count` bytes continuing from `crc` (0 to start), with the CPU's instruction.
/// Call only when `engram_crc32c_hardware_available()` is nonzero.
uint32_t engram_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);

#endif
