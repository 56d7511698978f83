/* fuzz_npy.c - libFuzzer target for posenc_weights_load_npy: any bytes as a .npy file. */
#include "fuzz_loader_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    posenc_weights *w = FUZZ_SENTINEL;
    fuzz_watch_start();
    int rc = posenc_weights_load_npy(path, &w);
    size_t largest = fuzz_watch_stop();
    w = fuzz_check_load("posenc_weights_load_npy", rc, w, size, largest, 0);
    if (!w)
        return 0;

    /* A file that loads has the magic, a version and a header length, and the array follows the
     * header: 6 + 2 + 2 bytes of length (1.0) or 4 (2.0, 3.0), then the header. */
    FUZZ_CHECK(size >= 10 && !memcmp(data, "\x93NUMPY", 6) && (data[6] >= 1 && data[6] <= 3),
               "loaded a file without the .npy magic and a known version");
    size_t len_bytes = data[6] == 1 ? 2 : 4;
    FUZZ_CHECK(size >= 8 + len_bytes, "loaded a file that ends inside the header length");
    uint64_t dstart = 8 + len_bytes + fuzz_le(data + 8, len_bytes);
    uint64_t bytes = fuzz_table_bytes(posenc_weights_rows(w), posenc_weights_dim(w), 4);
    FUZZ_CHECK(bytes && dstart <= size && bytes <= size - dstart,
               "shape (%lld, %d) from a %zu-byte file whose data starts at %llu",
               (long long)posenc_weights_rows(w), (int)posenc_weights_dim(w), size,
               (unsigned long long)dstart);
    /* '<f4' is the only dtype: the table is the file's bytes after the header, as they are on a
     * little-endian host */
    const uint16_t one = 1;
    if (*(const unsigned char *)&one == 1)
        FUZZ_CHECK(!memcmp(posenc_weights_data(w), data + dstart, (size_t)bytes),
                   "the table differs from the file's data");
    posenc_weights_free(w);
    return 0;
}
