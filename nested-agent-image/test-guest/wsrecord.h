/*
 * Workspace disk layout of the SpotNest test guest, shared by the guest's stand-in build (sn-build.c)
 * and the host-side checker (ws-verify.c). Documented in nested-agent-image/README.md.
 *
 *   [0, 1 MiB)          base area: 256 blocks written once into workspace-base.qcow2 at build time,
 *                       block b = ws_record("SNBS", b); the guest only reads it.
 *   [1 MiB, disk end)   workspace slots of 4 KiB; record index i lives in slot i % capacity,
 *                       content ws_record("SNWS", i).
 *
 * ws_record(magic, i), 4096 bytes:
 *   bytes 0..3    magic, ASCII
 *   bytes 4..11   i, unsigned 64-bit little-endian
 *   bytes 12..15  format version, unsigned 32-bit little-endian (= 1)
 *   bytes 16..4095  510 unsigned 64-bit little-endian words w[0..509] of an xorshift64 stream:
 *                 x = (i + 1) * 0x9E3779B97F4A7C15 XOR magic_u32   (mod 2^64; magic_u32 = bytes 0..3 read
 *                 as little-endian u32; if x == 0 then x = 0x9E3779B97F4A7C15)
 *                 for each k: x ^= x << 13; x ^= x >> 7; x ^= x << 17; w[k] = x
 */
#ifndef SN_WSRECORD_H
#define SN_WSRECORD_H

#include <stdint.h>
#include <string.h>

#define WS_RECORD_SIZE 4096u
#define WS_BASE_BYTES (1024u * 1024u)
#define WS_BASE_BLOCKS (WS_BASE_BYTES / WS_RECORD_SIZE)
#define WS_FORMAT_VERSION 1u
#define WS_MAGIC_RECORD "SNWS"
#define WS_MAGIC_BASE "SNBS"
#define WS_GOLDEN 0x9E3779B97F4A7C15ull

static inline void ws_put_le64(unsigned char *p, uint64_t v) {
    for (int b = 0; b < 8; b++) p[b] = (unsigned char)(v >> (8 * b));
}

static inline uint64_t ws_get_le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int b = 7; b >= 0; b--) v = (v << 8) | p[b];
    return v;
}

static inline uint64_t ws_seed(const char *magic, uint64_t index) {
    uint32_t m = (uint32_t)(unsigned char)magic[0] | (uint32_t)(unsigned char)magic[1] << 8 |
                 (uint32_t)(unsigned char)magic[2] << 16 | (uint32_t)(unsigned char)magic[3] << 24;
    uint64_t x = (index + 1) * WS_GOLDEN ^ m;
    return x ? x : WS_GOLDEN;
}

static inline uint64_t ws_xorshift(uint64_t x) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/** Fills out[0..4095] with ws_record(magic, index). */
static inline void ws_record(unsigned char *out, const char *magic, uint64_t index) {
    memcpy(out, magic, 4);
    ws_put_le64(out + 4, index);
    out[12] = WS_FORMAT_VERSION; out[13] = 0; out[14] = 0; out[15] = 0;
    uint64_t x = ws_seed(magic, index);
    for (unsigned off = 16; off < WS_RECORD_SIZE; off += 8) {
        x = ws_xorshift(x);
        ws_put_le64(out + off, x);
    }
}

/** 1 when buf holds exactly ws_record(magic, index). */
static inline int ws_record_matches(const unsigned char *buf, const char *magic, uint64_t index) {
    if (memcmp(buf, magic, 4) != 0 || ws_get_le64(buf + 4) != index) return 0;
    if (buf[12] != WS_FORMAT_VERSION || buf[13] || buf[14] || buf[15]) return 0;
    uint64_t x = ws_seed(magic, index);
    for (unsigned off = 16; off < WS_RECORD_SIZE; off += 8) {
        x = ws_xorshift(x);
        if (ws_get_le64(buf + off) != x) return 0;
    }
    return 1;
}

/** Index of the record that slot `slot` must hold after `written` records (written > slot). */
static inline uint64_t ws_index_in_slot(uint64_t slot, uint64_t written, uint64_t capacity) {
    if (written <= capacity) return slot;
    uint64_t last = written - 1, r = last % capacity;
    return slot <= r ? last - (r - slot) : last - r - (capacity - slot);
}

#endif
