#ifndef ENGRAM_CZSTD_SHIM_H
#define ENGRAM_CZSTD_SHIM_H
#include <zstd.h>
#endif
