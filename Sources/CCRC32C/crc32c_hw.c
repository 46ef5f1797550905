// The SSE4.2 crc32 instruction computes CRC-32C eight bytes per instruction, several
// times faster than table lookups. Compiled for that instruction only inside this
// function, and called only after a run-time check, so the binary still runs anywhere.
#include "crc32c_hw.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <string.h>

int pipeq_crc32c_hw_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

__attribute__((target("sse4.2"))) uint32_t pipeq_crc32c_hw(uint32_t crc, const uint8_t *bytes, size_t length) {
  uint64_t state = crc;
  while (length >= 8) {
    uint64_t word;
    memcpy(&word, bytes, 8);
    state = _mm_crc32_u64(state, word);
    bytes += 8;
    length -= 8;
  }
  uint32_t small = (uint32_t)state;
  while (length > 0) {
    small = _mm_crc32_u8(small, *bytes);
    bytes += 1;
    length -= 1;
  }
  return small;
}
#else
int pipeq_crc32c_hw_available(void) { return 0; }

uint32_t pipeq_crc32c_hw(uint32_t crc, const uint8_t *bytes, size_t length) {
  (void)bytes;
  (void)length;
  return crc;
}
#endif
