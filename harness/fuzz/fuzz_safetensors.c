/* fuzz_safetensors.c - libFuzzer target for posenc_weights_load_safetensors: any bytes as a
 * .safetensors file, asked for the tensor "wpe.weight" (the seeds' and the dictionary's name),
 * and for "__metadata__", which names the metadata map and never a tensor. */
#include "fuzz_loader_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const char *path, const char *name, const uint8_t *data, size_t size)
{
    posenc_weights *w = FUZZ_SENTINEL;
    fuzz_watch_start();
    int rc = posenc_weights_load_safetensors(path, name, &w);
    size_t largest = fuzz_watch_stop();
    w = fuzz_check_load("posenc_weights_load_safetensors", rc, w, size, largest, 1);
    if (!w)
        return;
    FUZZ_CHECK(strcmp(name, "__metadata__") != 0, "loaded the metadata map as a tensor");
    /* 8 bytes of header size N, N bytes of JSON, then the data buffer, which holds at least
     * the tensor's elements of 2 bytes (F16, BF16) or 4 (F32) */
    FUZZ_CHECK(size >= 8, "loaded a %zu-byte file", size);
    uint64_t hlen = fuzz_le(data, 8);
    uint64_t bytes = fuzz_table_bytes(posenc_weights_rows(w), posenc_weights_dim(w), 2);
    FUZZ_CHECK(hlen <= size - 8 && bytes && bytes <= size - 8 - hlen,
               "'%s': shape (%lld, %d) from a %zu-byte file with a %llu-byte header", name,
               (long long)posenc_weights_rows(w), (int)posenc_weights_dim(w), size,
               (unsigned long long)hlen);
    posenc_weights_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    load(path, "wpe.weight", data, size);
    load(path, "__metadata__", data, size);
    return 0;
}
