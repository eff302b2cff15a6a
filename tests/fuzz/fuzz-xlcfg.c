/*
 * libFuzzer harness for the xl config parser (machine/xlcfg.c): cfg_parse
 * then cfg_check and the accessors on whatever parsed.
 */
#include <stdlib.h>
#include "machine/xlcfg.h"

static void ignore_unknown(void *opaque, const struct cfg *c,
                           const struct cfg_setting *s)
{
    (void)opaque;
    (void)c;
    (void)s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg c;
    struct cfg_error err;
    const struct cfg_atom *items;
    uint64_t v;

    cfg_sniff(data, size);
    if (cfg_init(&c, "fuzz/fuzz.cfg") < 0)
        return 0;
    if (cfg_parse(&c, (const char *)data, size, &err) == 0) {
        cfg_check(&c, ignore_unknown, NULL, &err);
        for (size_t i = 0; i < c.n; i++) {
            const char *key = c.s[i].key;
            char *path = cfg_get_path(&c, key);

            cfg_get_string(&c, key);
            cfg_get_u64(&c, key, &v);
            cfg_get_list(&c, key, &items);
            free(path);
        }
    } else if (!err.msg[0]) {
        abort();                        /* every error has a message */
    }
    cfg_free(&c);
    return 0;
}
