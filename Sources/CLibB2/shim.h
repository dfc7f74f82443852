#ifndef ENGRAM_CLIBB2_SHIM_H
#define ENGRAM_CLIBB2_SHIM_H
#include <blake2.h>
#endif
