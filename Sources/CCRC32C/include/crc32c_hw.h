#ifndef PIPEQ_CRC32C_HW_H
#define PIPEQ_CRC32C_HW_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has a CRC-32C instruction pipeq can use (x86-64 SSE4.2).
int pipeq_crc32c_hw_available(void);

/// CRC-32C of `length` bytes continuing from `crc` (already inverted by the caller:
/// pass ~seed, get ~result). Only call when `pipeq_crc32c_hw_available()` is 1.
uint32_t pipeq_crc32c_hw(uint32_t crc, const uint8_t *bytes, size_t length);

#endif
