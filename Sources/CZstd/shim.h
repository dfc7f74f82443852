#ifndef ENGRAM_CZSTD_SHIM_H
#define ENGRAM_CZSTD_SHIM_H
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

/// Stores literals raw instead of Huffman-coding them. A small frame then decodes without
/// building a Huffman table (about 1.4 us of a 2.5 KiB block's 5 us here) for a few percent
/// of ratio. The parameter has been stable since zstd 1.4.5; an older library reports an error,
/// which the caller ignores (it then compresses literals as usual).
static inline size_t engram_zstd_store_literals_raw(ZSTD_CCtx *cctx) {
    return ZSTD_CCtx_setParameter(cctx, ZSTD_c_literalCompressionMode, ZSTD_ps_disable);
}
#endif
