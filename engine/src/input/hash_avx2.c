/*
 * hash_avx2.c: xxh3-64 of the raw input bytes (for the manifest), built
 * with AVX2.  Part of the input stage: every byte read goes through this
 * hash, and Debian's libxxhash is compiled for SSE2 only, which cost about
 * one instruction per byte.  This file is compiled with -mavx2 (see
 * engine/CMakeLists.txt) and includes the library's own header in its
 * documented header-only mode (XXH_INLINE_ALL), so the algorithm is
 * libxxhash's, not ours; xxh3 is defined to give the same value on every
 * vector path, which test_input checks against the library.
 *
 * Nothing here may run on a CPU without AVX2: source.c calls these only
 * when txs__input_hash_avx2() says so, and otherwise uses the library.
 * The state is allocated by the library (XXH3_createState: same header,
 * same layout) and used by one path for its whole life.
 */
#include <stddef.h>
#include <stdint.h>

#include "input_int.h"

#if TXS_HASH_AVX2
#define XXH_INLINE_ALL
#include <xxhash.h>

void txs__input_hash_reset(void *state)
{
    XXH3_64bits_reset((XXH3_state_t *)state);
}

void txs__input_hash_update(void *state, const void *p, size_t n)
{
    XXH3_64bits_update((XXH3_state_t *)state, p, n);
}

uint64_t txs__input_hash_digest(const void *state)
{
    return XXH3_64bits_digest((const XXH3_state_t *)state);
}
#endif
