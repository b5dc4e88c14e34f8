/*
 * ws-disk: host-side tool for the test guest's workspace disk (layout in wsrecord.h / README.md).
 *
 *   ws-disk make-base FILE SIZE_MIB       write a raw image of SIZE_MIB MiB holding the base area (zeros after it)
 *   ws-disk verify FILE [--written N]     check a raw image (e.g. `qemu-img convert -O raw ovl.qcow2 FILE`):
 *                                         every base block intact, every non-empty slot holds the record its
 *                                         header names at the right slot; with --written N also that the records
 *                                         of the first N writes (the last `capacity` of them) are all present.
 *
 * verify prints one line:
 *   ws-disk: base_ok=<n> base_bad=<n> records=<n> bad=<n> empty=<n> max_index=<n|-1> capacity=<n> missing=<n>
 * and exits 0 when base_bad, bad and missing are all 0, 1 otherwise, 2 on usage or I/O errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wsrecord.h"

static int usage(void) {
    fprintf(stderr, "usage: ws-disk make-base FILE SIZE_MIB | ws-disk verify FILE [--written N]\n");
    return 2;
}

static int make_base(const char *path, const char *size_arg) {
    char *end;
    long mib = strtol(size_arg, &end, 10);
    if (*end || mib < 2 || mib > 65536) {
        fprintf(stderr, "ws-disk: SIZE_MIB must be a whole number between 2 and 65536, got '%s'\n", size_arg);
        return 2;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { fprintf(stderr, "ws-disk: %s: %s\n", path, strerror(errno)); return 2; }
    unsigned char block[WS_RECORD_SIZE];
    for (unsigned b = 0; b < WS_BASE_BLOCKS; b++) {
        ws_record(block, WS_MAGIC_BASE, b);
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block) {
            fprintf(stderr, "ws-disk: write %s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    if (ftruncate(fd, (off_t)mib * 1024 * 1024) < 0 || close(fd) < 0) {
        fprintf(stderr, "ws-disk: %s: %s\n", path, strerror(errno));
        return 2;
    }
    return 0;
}

static int is_zero(const unsigned char *b) {
    for (unsigned i = 0; i < WS_RECORD_SIZE; i++)
        if (b[i]) return 0;
    return 1;
}

static int verify(const char *path, long long written) {
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) { fprintf(stderr, "ws-disk: %s: %s\n", path, strerror(errno)); return 2; }
    if ((uint64_t)st.st_size < WS_BASE_BYTES + WS_RECORD_SIZE) {
        fprintf(stderr, "ws-disk: %s: %lld bytes is smaller than the base area + one record\n", path,
                (long long)st.st_size);
        return 2;
    }
    uint64_t capacity = ((uint64_t)st.st_size - WS_BASE_BYTES) / WS_RECORD_SIZE;
    uint64_t base_ok = 0, base_bad = 0, records = 0, bad = 0, empty = 0, missing = 0;
    long long max_index = -1;
    unsigned char b[WS_RECORD_SIZE];
    for (uint64_t blk = 0; blk < WS_BASE_BLOCKS; blk++) {
        if (fread(b, 1, sizeof b, f) != sizeof b) { fprintf(stderr, "ws-disk: short read\n"); return 2; }
        if (ws_record_matches(b, WS_MAGIC_BASE, blk)) base_ok++; else base_bad++;
    }
    for (uint64_t slot = 0; slot < capacity; slot++) {
        if (fread(b, 1, sizeof b, f) != sizeof b) { fprintf(stderr, "ws-disk: short read\n"); return 2; }
        if (is_zero(b)) {
            empty++;
            if (written > 0 && slot < (uint64_t)written) missing++;
            continue;
        }
        uint64_t idx = ws_get_le64(b + 4);
        if (idx % capacity != slot || !ws_record_matches(b, WS_MAGIC_RECORD, idx)) {
            if (bad++ < 5) fprintf(stderr, "ws-disk: bad record in slot %llu\n", (unsigned long long)slot);
            continue;
        }
        records++;
        if ((long long)idx > max_index) max_index = (long long)idx;
        /* with --written N, the slot must hold the newest record of the first N (or a newer one) */
        if (written > 0 && slot < (uint64_t)written && idx < ws_index_in_slot(slot, (uint64_t)written, capacity))
            missing++;
    }
    fclose(f);
    printf("ws-disk: base_ok=%llu base_bad=%llu records=%llu bad=%llu empty=%llu max_index=%lld capacity=%llu "
           "missing=%llu\n",
           (unsigned long long)base_ok, (unsigned long long)base_bad, (unsigned long long)records,
           (unsigned long long)bad, (unsigned long long)empty, max_index, (unsigned long long)capacity,
           (unsigned long long)missing);
    return base_bad || bad || missing ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "make-base")) return make_base(argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "verify")) return verify(argv[2], 0);
    if (argc == 5 && !strcmp(argv[1], "verify") && !strcmp(argv[3], "--written")) {
        char *end;
        long long n = strtoll(argv[4], &end, 10);
        if (*end || n < 0) { fprintf(stderr, "ws-disk: --written must be a whole number >= 0\n"); return 2; }
        return verify(argv[2], n);
    }
    return usage();
}
