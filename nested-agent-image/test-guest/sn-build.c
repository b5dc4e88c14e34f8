/*
 * sn-build: the stand-in build of the SpotNest test guest (started by /init, statically linked).
 *
 * Reads its settings from the kernel command line (sn.* keys, see nested-agent-image/README.md),
 * configures eth0, then runs steps forever: each step writes one workspace record, re-reads and checks
 * every record written so far, and reports "STEP ..." on the console and over ONE TCP connection to the
 * controller-side listener. A helper thread dirties guest memory at a steady rate; another sends a heartbeat
 * ("BEAT <seq>") on the same connection every sn.beat_ms, so the controller sees how long the build was paused.
 *
 *   sn-build                 run from /proc/cmdline (in the guest)
 *   sn-build --check "ARGS"  only parse and validate ARGS as a kernel command line, print the settings
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wsrecord.h"

#define CMDLINE_CONTRACT 1
#define VERIFY_CHUNK_RECORDS 256u /* 1 MiB per O_DIRECT read */

/* ---------------------------------------------------------------- settings */

typedef struct {
    char ip[32];        /* "dhcp" or a.b.c.d/prefix */
    char gw[16];        /* empty = none */
    char ctrl_host[16];
    int ctrl_port;
    char vm[65];
    long dirty_mib_s;
    long wss_mib;
    long step_ms;
    char disk[64];      /* device path or "none" */
    long ws_mib;
    long beat_ms;       /* heartbeat period, 0 = none */
} Settings;

static void config_error(const char *key, const char *value, const char *reason) {
    printf("SN-CONFIG-ERROR field=%s value=%s: %s\n", key, value ? value : "(missing)", reason);
    fflush(stdout);
    exit(2);
}

static long parse_long(const char *key, const char *v, long min, long max) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno) config_error(key, v, "not a whole number");
    if (n < min || n > max) {
        char why[96];
        snprintf(why, sizeof why, "must be between %ld and %ld", min, max);
        config_error(key, v, why);
    }
    return n;
}

static void parse_ipv4(const char *key, const char *v, char *out, size_t outsz) {
    struct in_addr a;
    if (strlen(v) >= outsz || inet_pton(AF_INET, v, &a) != 1) config_error(key, v, "not an IPv4 address a.b.c.d");
    strcpy(out, v);
}

static void parse_setting(Settings *s, const char *key, const char *v) {
    if (!strcmp(key, "sn.ip")) {
        if (!strcmp(v, "dhcp")) { strcpy(s->ip, v); return; }
        const char *slash = strchr(v, '/');
        if (!slash) config_error(key, v, "expected a.b.c.d/prefix or dhcp");
        char addr[16];
        size_t n = (size_t)(slash - v);
        if (n >= sizeof addr) config_error(key, v, "not an IPv4 address a.b.c.d/prefix");
        memcpy(addr, v, n); addr[n] = 0;
        struct in_addr a;
        if (inet_pton(AF_INET, addr, &a) != 1) config_error(key, v, "not an IPv4 address a.b.c.d/prefix");
        parse_long(key, slash + 1, 1, 32);
        snprintf(s->ip, sizeof s->ip, "%s", v);
    } else if (!strcmp(key, "sn.gw")) {
        parse_ipv4(key, v, s->gw, sizeof s->gw);
    } else if (!strcmp(key, "sn.ctrl")) {
        const char *colon = strrchr(v, ':');
        if (!colon) config_error(key, v, "expected addr:port");
        char addr[16];
        size_t n = (size_t)(colon - v);
        if (n >= sizeof addr) config_error(key, v, "expected IPv4 addr:port");
        memcpy(addr, v, n); addr[n] = 0;
        struct in_addr a;
        if (inet_pton(AF_INET, addr, &a) != 1) config_error(key, v, "expected IPv4 addr:port");
        strcpy(s->ctrl_host, addr);
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (!colon[1] || *end || port < 1 || port > 65535) config_error(key, v, "port must be a number 1..65535");
        s->ctrl_port = (int)port;
    } else if (!strcmp(key, "sn.vm")) {
        size_t n = strlen(v);
        if (n == 0 || n > 64) config_error(key, v, "must be 1..64 characters");
        for (size_t i = 0; i < n; i++)
            if (!(v[i] >= 'a' && v[i] <= 'z') && !(v[i] >= 'A' && v[i] <= 'Z') && !(v[i] >= '0' && v[i] <= '9') &&
                !strchr("._-", v[i]))
                config_error(key, v, "only letters, digits, '.', '_' and '-' are allowed");
        strcpy(s->vm, v);
    } else if (!strcmp(key, "sn.dirty")) {
        s->dirty_mib_s = parse_long(key, v, 0, 4096);
    } else if (!strcmp(key, "sn.wss")) {
        s->wss_mib = parse_long(key, v, 1, 4096);
    } else if (!strcmp(key, "sn.step_ms")) {
        s->step_ms = parse_long(key, v, 50, 600000);
    } else if (!strcmp(key, "sn.disk")) {
        if (strcmp(v, "none") && (strncmp(v, "/dev/", 5) || strlen(v) >= sizeof s->disk || strlen(v) < 6))
            config_error(key, v, "expected a /dev/... block device or none");
        strcpy(s->disk, v);
    } else if (!strcmp(key, "sn.ws_mib")) {
        s->ws_mib = parse_long(key, v, 0, 65536);
    } else if (!strcmp(key, "sn.beat_ms")) {
        s->beat_ms = parse_long(key, v, 0, 1000);
        if (s->beat_ms > 0 && s->beat_ms < 5) config_error(key, v, "must be 0 (no heartbeat) or 5..1000");
    } else {
        config_error(key, v, "unknown sn.* setting");
    }
}

/** Parses the sn.* words of a kernel command line; every other word is ignored. */
static Settings parse_cmdline(char *line) {
    Settings s = {.ctrl_port = 0, .dirty_mib_s = 0, .wss_mib = 32, .step_ms = 1000, .ws_mib = 8, .beat_ms = 10};
    strcpy(s.vm, "sn-guest");
    strcpy(s.disk, "/dev/vda");
    for (char *save = NULL, *w = strtok_r(line, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
        if (strncmp(w, "sn.", 3)) continue;
        char *eq = strchr(w, '=');
        if (!eq) config_error(w, NULL, "expected key=value");
        *eq = 0;
        parse_setting(&s, w, eq + 1);
    }
    if (!s.ip[0]) config_error("sn.ip", NULL, "required: a.b.c.d/prefix or dhcp");
    if (!s.ctrl_port) config_error("sn.ctrl", NULL, "required: addr:port of the controller-side listener");
    return s;
}

/* ---------------------------------------------------------------- small helpers */

static double mono_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void read_first_line(const char *path, char *out, size_t n) {
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (f) {
        if (fgets(out, (int)n, f)) out[strcspn(out, " \n")] = 0;
        fclose(f);
    }
}

static void uptime_str(char *out, size_t n) {
    char u[64];
    read_first_line("/proc/uptime", u, sizeof u);
    snprintf(out, n, "%.2f", atof(u));
}

/** Runs /bin/busybox with the given applet arguments; returns its exit status (or -1). */
static int busybox(const char *const argv[]) {
    pid_t pid = fork();
    if (pid == 0) {
        execv("/bin/busybox", (char *const *)argv);
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void fatal(const char *what) {
    printf("SN-FATAL %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

/* ---------------------------------------------------------------- network */

static void configure_network(const Settings *s) {
    const char *up[] = {"busybox", "ip", "link", "set", "eth0", "up", NULL};
    const char *lo[] = {"busybox", "ip", "link", "set", "lo", "up", NULL};
    busybox(lo);
    if (busybox(up)) { errno = ENODEV; fatal("ip link set eth0 up"); }
    if (!strcmp(s->ip, "dhcp")) {
        const char *dhcp[] = {"busybox", "udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "20", "-T", "1",
                              "-s", "/etc/udhcpc.script", NULL};
        if (busybox(dhcp)) { errno = ETIMEDOUT; fatal("udhcpc on eth0 got no lease"); }
    } else {
        const char *add[] = {"busybox", "ip", "addr", "add", s->ip, "dev", "eth0", NULL};
        if (busybox(add)) { errno = EINVAL; fatal("ip addr add sn.ip"); }
    }
    if (s->gw[0]) {
        const char *gw[] = {"busybox", "ip", "route", "replace", "default", "via", s->gw, "dev", "eth0", NULL};
        if (busybox(gw)) { errno = EINVAL; fatal("ip route replace default via sn.gw"); }
    }
}

static void eth0_address(char *out, size_t n) {
    struct ifreq r;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "eth0");
    r.ifr_addr.sa_family = AF_INET;
    if (fd < 0 || ioctl(fd, SIOCGIFADDR, &r) < 0) snprintf(out, n, "none");
    else inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, out, (socklen_t)n);
    if (fd >= 0) close(fd);
}

/** Held around every use of the channel: the step loop and the heartbeat thread share the one connection. */
static pthread_mutex_t channel_lock = PTHREAD_MUTEX_INITIALIZER;

/** The one connection to the controller-side listener; -1 while disconnected. */
typedef struct {
    int fd;
    struct sockaddr_in peer;
    char hello[160];
} Channel;

static int channel_try_connect(Channel *c, int timeout_ms) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    int r = connect(fd, (struct sockaddr *)&c->peer, sizeof c->peer);
    if (r < 0 && errno == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int err = 0;
        socklen_t el = sizeof err;
        if (poll(&p, 1, timeout_ms) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0) r = 0;
    }
    if (r < 0) { close(fd); return 0; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct timeval snd = {.tv_sec = 5};
    unsigned user_timeout_ms = 30000;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);
    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    struct sockaddr_in me = {0};
    socklen_t ml = sizeof me;
    char mine[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&me, &ml) == 0) inet_ntop(AF_INET, &me.sin_addr, mine, sizeof mine);
    printf("CONNECTED ctrl=%s:%d local=%s:%d\n", inet_ntoa(c->peer.sin_addr), ntohs(c->peer.sin_port), mine,
           ntohs(me.sin_port));
    return 1;
}

/** Prints CONNECTION-LOST reason=<why as one token> and closes the socket. */
static void channel_lost(Channel *c, const char *why) {
    char token[64];
    snprintf(token, sizeof token, "%s", why);
    for (char *p = token; *p; p++)
        if (*p == ' ' || *p == '=') *p = '-';
    printf("CONNECTION-LOST reason=%s\n", token);
    close(c->fd);
    c->fd = -1;
}

static int channel_send(Channel *c, const char *line) {
    size_t len = strlen(line), done = 0;
    while (done < len) {
        ssize_t w = send(c->fd, line + done, len - done, MSG_NOSIGNAL);
        if (w <= 0) {
            channel_lost(c, w == 0 ? "send-returned-0" : strerror(errno));
            return 0;
        }
        done += (size_t)w;
    }
    return 1;
}

/** Sends a line if connected; notices a peer close; (re)connects (then sends HELLO first) when disconnected. */
static void channel_step(Channel *c, const char *line, int connect_timeout_ms) {
    if (c->fd >= 0) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN | POLLRDHUP};
        char junk[256];
        if (poll(&p, 1, 0) == 1) {
            ssize_t r = (p.revents & POLLIN) ? recv(c->fd, junk, sizeof junk, MSG_DONTWAIT) : 0;
            if (r == 0 || (p.revents & (POLLERR | POLLHUP | POLLRDHUP))) channel_lost(c, "closed-by-peer");
        }
    }
    if (c->fd < 0) {
        if (!channel_try_connect(c, connect_timeout_ms)) return;
        printf("%s", c->hello);
        if (!channel_send(c, c->hello)) return;
    }
    if (line) channel_send(c, line);
}

/** channel_step under the channel lock. */
static void channel_step_locked(Channel *c, const char *line, int connect_timeout_ms) {
    pthread_mutex_lock(&channel_lock);
    channel_step(c, line, connect_timeout_ms);
    pthread_mutex_unlock(&channel_lock);
}

/* ---------------------------------------------------------------- heartbeat */

typedef struct {
    Channel *ch;
    long period_ms;
} Heartbeat;

/**
 * Sends "BEAT <seq>" every period while connected (never reconnects: the step loop does). Beats due while
 * disconnected are not sent but still counted; a beat that runs late does not cause a burst.
 */
static void *heartbeat_run(void *arg) {
    Heartbeat *h = arg;
    char line[40];
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (unsigned long long seq = 1;; seq++) {
        snprintf(line, sizeof line, "BEAT %llu\n", seq);
        pthread_mutex_lock(&channel_lock);
        if (h->ch->fd >= 0) channel_send(h->ch, line);
        pthread_mutex_unlock(&channel_lock);
        next.tv_nsec += h->period_ms * 1000000L;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long behind_ms = (now.tv_sec - next.tv_sec) * 1000LL + (now.tv_nsec - next.tv_nsec) / 1000000L;
        if (behind_ms > h->period_ms) next = now; /* fell behind (e.g. VM paused): no burst */
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

/* ---------------------------------------------------------------- memory dirtier */

typedef struct {
    long mib_s;
    size_t pages;
    unsigned char *mem;
    atomic_uint_fast64_t dirtied_pages;
} Dirtier;

static void *dirtier_run(void *arg) {
    Dirtier *d = arg;
    const int slices = 10;
    uint64_t per_second = (uint64_t)d->mib_s * 256, done_this_second = 0, x = WS_GOLDEN;
    size_t cursor = 0;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (int slice = 0;; slice = (slice + 1) % slices) {
        if (slice == 0) done_this_second = 0;
        /* pages due by the end of this slice, so the per-second total is exact */
        uint64_t due = per_second * (uint64_t)(slice + 1) / slices - done_this_second;
        for (uint64_t p = 0; p < due; p++) {
            uint64_t *page = (uint64_t *)(d->mem + cursor * 4096);
            for (int w = 0; w < 512; w++) page[w] = (x = ws_xorshift(x));
            cursor = (cursor + 1) % d->pages;
        }
        done_this_second += due;
        atomic_fetch_add(&d->dirtied_pages, due);
        next.tv_nsec += 1000000000L / slices;
        if (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > next.tv_sec + 1) next = now; /* fell far behind (e.g. VM paused): do not burst */
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

/* ---------------------------------------------------------------- workspace disk */

typedef struct {
    int fd;              /* -1 when disabled */
    uint64_t capacity;   /* record slots after the base area */
    uint64_t written;    /* records written since boot */
    unsigned char *buf;  /* VERIFY_CHUNK_RECORDS * 4 KiB, 4 KiB aligned */
} Workspace;

static int ws_open(Workspace *w, const char *dev) {
    w->fd = -1;
    w->written = 0;
    if (!strcmp(dev, "none")) return 1;
    if (posix_memalign((void **)&w->buf, 4096, VERIFY_CHUNK_RECORDS * WS_RECORD_SIZE)) return 0;
    int fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
    uint64_t bytes = 0;
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
        printf("WS-ERROR device=%s: %s\n", dev, strerror(errno));
        if (fd >= 0) close(fd);
        return 0;
    }
    if (bytes < WS_BASE_BYTES + WS_RECORD_SIZE) {
        printf("WS-ERROR device=%s: %llu bytes is too small (needs > 1 MiB)\n", dev, (unsigned long long)bytes);
        close(fd);
        return 0;
    }
    w->fd = fd;
    w->capacity = (bytes - WS_BASE_BYTES) / WS_RECORD_SIZE;
    return 1;
}

static off_t ws_offset(const Workspace *w, uint64_t index) {
    return (off_t)(WS_BASE_BYTES + (index % w->capacity) * WS_RECORD_SIZE);
}

/** Appends n records (batched, contiguous up to the wrap point), then fdatasync. 0 on I/O error. */
static int ws_append(Workspace *w, uint64_t n) {
    while (n > 0) {
        uint64_t slot = w->written % w->capacity, batch = n;
        if (batch > VERIFY_CHUNK_RECORDS) batch = VERIFY_CHUNK_RECORDS;
        if (batch > w->capacity - slot) batch = w->capacity - slot;
        for (uint64_t k = 0; k < batch; k++) ws_record(w->buf + k * WS_RECORD_SIZE, WS_MAGIC_RECORD, w->written + k);
        ssize_t r = pwrite(w->fd, w->buf, batch * WS_RECORD_SIZE, ws_offset(w, w->written));
        if (r != (ssize_t)(batch * WS_RECORD_SIZE)) {
            printf("WS-ERROR write index=%llu: %s\n", (unsigned long long)w->written, r < 0 ? strerror(errno) : "short");
            return 0;
        }
        w->written += batch;
        n -= batch;
    }
    if (fdatasync(w->fd) < 0) { printf("WS-ERROR fdatasync: %s\n", strerror(errno)); return 0; }
    return 1;
}

/** Re-reads the base area and every slot written so far; returns the count of bad blocks, sets *ok. */
static uint64_t ws_verify(Workspace *w, uint64_t *ok) {
    uint64_t bad = 0, reported = 0;
    *ok = 0;
    /* base area: blocks 0..255 from workspace-base.qcow2 */
    if (pread(w->fd, w->buf, WS_BASE_BYTES, 0) != (ssize_t)WS_BASE_BYTES) {
        bad += WS_BASE_BLOCKS;
        printf("WS-BAD base area unreadable: %s\n", strerror(errno));
    } else {
        for (uint64_t b = 0; b < WS_BASE_BLOCKS; b++)
            if (!ws_record_matches(w->buf + b * WS_RECORD_SIZE, WS_MAGIC_BASE, b)) {
                if (reported++ < 3) printf("WS-BAD base block=%llu\n", (unsigned long long)b);
                bad++;
            }
    }
    uint64_t slots = w->written < w->capacity ? w->written : w->capacity;
    for (uint64_t s = 0; s < slots; s += VERIFY_CHUNK_RECORDS) {
        uint64_t n = slots - s < VERIFY_CHUNK_RECORDS ? slots - s : VERIFY_CHUNK_RECORDS;
        ssize_t r = pread(w->fd, w->buf, n * WS_RECORD_SIZE, (off_t)(WS_BASE_BYTES + s * WS_RECORD_SIZE));
        for (uint64_t k = 0; k < n; k++) {
            uint64_t idx = ws_index_in_slot(s + k, w->written, w->capacity);
            if (r == (ssize_t)(n * WS_RECORD_SIZE) && ws_record_matches(w->buf + k * WS_RECORD_SIZE, WS_MAGIC_RECORD, idx)) {
                (*ok)++;
            } else {
                if (reported++ < 3) printf("WS-BAD record index=%llu slot=%llu\n", (unsigned long long)idx,
                                           (unsigned long long)(s + k));
                bad++;
            }
        }
    }
    return bad;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    static char line[4096];
    if (argc == 3 && !strcmp(argv[1], "--check")) {
        snprintf(line, sizeof line, "%s", argv[2]);
        Settings s = parse_cmdline(line);
        printf("ip=%s gw=%s ctrl=%s:%d vm=%s dirty=%ld wss=%ld step_ms=%ld disk=%s ws_mib=%ld beat_ms=%ld\n", s.ip,
               s.gw, s.ctrl_host, s.ctrl_port, s.vm, s.dirty_mib_s, s.wss_mib, s.step_ms, s.disk, s.ws_mib, s.beat_ms);
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: sn-build | sn-build --check \"<kernel command line>\"\n");
        return 2;
    }
    FILE *f = fopen("/proc/cmdline", "r");
    if (!f || !fgets(line, sizeof line, f)) fatal("read /proc/cmdline");
    fclose(f);
    Settings s = parse_cmdline(line);

    char boot_id[64], up[32], ip[16];
    read_first_line("/proc/sys/kernel/random/boot_id", boot_id, sizeof boot_id);
    configure_network(&s);
    eth0_address(ip, sizeof ip);
    uptime_str(up, sizeof up);
    printf("GUEST-BOOTED boot_id=%s up=%s ip=%s contract=%d\n", boot_id, up, ip, CMDLINE_CONTRACT);

    Channel ch = {.fd = -1};
    ch.peer.sin_family = AF_INET;
    ch.peer.sin_port = htons((uint16_t)s.ctrl_port);
    inet_pton(AF_INET, s.ctrl_host, &ch.peer.sin_addr);
    snprintf(ch.hello, sizeof ch.hello, "HELLO vm=%s boot_id=%s\n", s.vm, boot_id);
    int connect_timeout_ms = s.step_ms / 2 < 300 ? (int)(s.step_ms / 2) : 300;
    printf("CONNECTING ctrl=%s:%d\n", s.ctrl_host, s.ctrl_port);
    channel_step_locked(&ch, NULL, connect_timeout_ms);
    Heartbeat hb = {.ch = &ch, .period_ms = s.beat_ms};
    if (s.beat_ms > 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, heartbeat_run, &hb)) fatal("start heartbeat thread");
    }

    Dirtier d = {.mib_s = s.dirty_mib_s, .pages = (size_t)s.wss_mib * 256};
    if (s.dirty_mib_s > 0) {
        d.mem = malloc(d.pages * 4096);
        if (!d.mem) fatal("allocate sn.wss working set");
        memset(d.mem, 0x5a, d.pages * 4096);
        pthread_t t;
        if (pthread_create(&t, NULL, dirtier_run, &d)) fatal("start dirtier thread");
        printf("DIRTY-STARTED mib_s=%ld wss_mib=%ld\n", s.dirty_mib_s, s.wss_mib);
    }

    Workspace ws;
    int ws_usable = ws_open(&ws, s.disk);
    if (ws_usable && ws.fd >= 0) {
        double t0 = mono_s();
        int ok = ws_append(&ws, (uint64_t)s.ws_mib * 256);
        printf("WS-READY device=%s capacity=%llu written=%llu ms=%.0f%s\n", s.disk, (unsigned long long)ws.capacity,
               (unsigned long long)ws.written, (mono_s() - t0) * 1000, ok ? "" : " (write error)");
    }

    uint64_t bad = 0, ok = 0, last_pages = 0;
    double last_dirty_report = mono_s();
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (unsigned long long n = 1;; n++) {
        if (ws.fd >= 0) {
            int wrote = ws_append(&ws, 1);
            bad = ws_verify(&ws, &ok) + (wrote ? 0 : 1);
        } else if (!ws_usable) {
            bad = 1; /* the workspace device could not be opened: WS-ERROR on the console says why */
        }
        uptime_str(up, sizeof up);
        snprintf(line, sizeof line, "STEP %llu boot_id=%s up=%s ws_written=%llu ws_verified=%llu ws_bad=%llu\n", n,
                 boot_id, up, (unsigned long long)ws.written, (unsigned long long)ok, (unsigned long long)bad);
        printf("%s", line);
        channel_step_locked(&ch, line, connect_timeout_ms);
        if (s.dirty_mib_s > 0 && n % 10 == 0) {
            uint64_t pages = atomic_load(&d.dirtied_pages);
            double t = mono_s();
            printf("DIRTY mib_s=%.1f\n", (pages - last_pages) / 256.0 / (t - last_dirty_report));
            last_pages = pages;
            last_dirty_report = t;
        }
        next.tv_sec += s.step_ms / 1000;
        next.tv_nsec += (s.step_ms % 1000) * 1000000L;
        if (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > next.tv_sec + 1) next = now; /* fell behind by > 1 s: restart the schedule */
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
}
