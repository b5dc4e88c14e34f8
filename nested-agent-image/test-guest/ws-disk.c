/*
 * ws-disk: host-side tool for the test guest's workspace disk (layout in wsrecord.h / README.md).
 *
 *   ws-disk make-base FILE SIZE_MIB       write a raw image of SIZE_MIB MiB holding the base area (zeros after it)
 *   ws-disk selftest                      check the record formula and slot arithmetic (run at build time)
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
    fprintf(stderr, "usage: ws-disk make-base FILE SIZE_MIB | ws-disk verify FILE [--written N] | ws-disk selftest\n");
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

/* Checks the record formula and the slot arithmetic against a brute-force model; 0 when all hold. */
static int selftest(void) {
    unsigned char a[WS_RECORD_SIZE], b[WS_RECORD_SIZE];
    int failures = 0;
    ws_record(a, WS_MAGIC_RECORD, 0);
    static const unsigned char head0[16] = {'S', 'N', 'W', 'S', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
    if (memcmp(a, head0, 16)) { fprintf(stderr, "selftest: header of record 0\n"); failures++; }
    for (uint64_t i = 0; i < 2000; i += 7) {
        ws_record(a, WS_MAGIC_RECORD, i);
        if (!ws_record_matches(a, WS_MAGIC_RECORD, i) || ws_record_matches(a, WS_MAGIC_RECORD, i + 1) ||
            ws_record_matches(a, WS_MAGIC_BASE, i)) { fprintf(stderr, "selftest: record %llu\n", (unsigned long long)i); failures++; }
        memcpy(b, a, sizeof b);
        b[16 + i % (WS_RECORD_SIZE - 16)] ^= (unsigned char)(1u << (i % 8)); /* one flipped bit must be noticed */
        if (ws_record_matches(b, WS_MAGIC_RECORD, i)) { fprintf(stderr, "selftest: bit flip in %llu\n", (unsigned long long)i); failures++; }
    }
    for (uint64_t cap = 1; cap <= 9; cap++) {
        uint64_t slot_holds[9];
        for (uint64_t written = 1; written <= 40; written++) {
            slot_holds[(written - 1) % cap] = written - 1; /* model: write record written-1 into its slot */
            uint64_t used = written < cap ? written : cap;
            for (uint64_t s = 0; s < used; s++)
                if (ws_index_in_slot(s, written, cap) != slot_holds[s]) {
                    fprintf(stderr, "selftest: slot %llu cap %llu written %llu\n", (unsigned long long)s,
                            (unsigned long long)cap, (unsigned long long)written);
                    failures++;
                }
        }
    }
    printf("ws-disk: selftest %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "selftest")) return selftest();
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
