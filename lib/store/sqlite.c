/* SQLite store (being implemented). */
#include "engine/engine.h"

int l2c_engine_open(l2c_engine **out, const char *path, const l2c_engine_options *opts)
{
    (void)path;
    (void)opts;
    *out = NULL;
    return L2C_EUNSUPPORTED;
}
