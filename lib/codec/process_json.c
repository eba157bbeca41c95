/* Process definitions as JSON and DOT, custom processes, AsyncAPI.
 * (Being implemented: every entry point answers L2C_EUNSUPPORTED until then.) */
#include "codec/codec.h"

int l2c_engine_load_process(l2c_engine *e, const char *json)
{
    (void)json;
    return l2c__err(e, L2C_EUNSUPPORTED, NULL, "custom processes are not available yet");
}

int l2c_process_json(char **out, l2c_engine *e, const char *type)
{
    (void)type;
    *out = NULL;
    return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not available yet");
}

int l2c_process_dot(char **out, l2c_engine *e, const char *type)
{
    (void)type;
    *out = NULL;
    return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not available yet");
}

int l2c_asyncapi_json(char **out, l2c_engine *e)
{
    *out = NULL;
    return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not available yet");
}
