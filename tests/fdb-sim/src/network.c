/*
 * API version, settings, the network thread and futures.
 *
 * Every operation computes its result when it is called (so a read sees the
 * writes issued before it and none after, as in FoundationDB); the future is
 * then published by the network thread, which drains a queue ordered by due
 * time. So callbacks run on the network thread (or synchronously from
 * fdb_future_set_callback when the future is already ready), exactly the two
 * paths a binding must handle. FDB_SIM_LATENCY_US delays each publication.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t net_cv = PTHREAD_COND_INITIALIZER;   /* wakes the network thread */
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER; /* a future became ready */

int g_api_version = 0;
int g_network_setup = 0;
static int g_network_ran = 0;
static int g_network_stop = 0;
static pthread_t g_network_thread;
static int g_on_network_thread_known = 0;
int64_t g_version = 1000000; /* versions start high enough that 0 and small numbers stand out as wrong */
int64_t g_stats[FDB_SIM_STAT_COUNT];

typedef struct {
	void (*hook)(void*);
	void* param;
} completion_hook;
static completion_hook g_hooks[16];
static int g_nhooks = 0;

sim_config g_cfg = {
	.seed = 1,
	.fault_rate = 0,
	.read_fault_rate = 0,
	.faults = { E_NOT_COMMITTED, E_COMMIT_UNKNOWN_RESULT, E_TRANSACTION_TOO_OLD },
	.nfaults = 3,
	.read_faults = { E_TRANSACTION_TOO_OLD, E_FUTURE_VERSION, E_PROCESS_BEHIND },
	.nread_faults = 3,
	.latency_ns = 0,
	.max_txn_age_ns = 5000000000LL,
	.unreachable = 0,
	.strict_cluster_file = 0,
	.verbose = 0,
};

int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void sim_log(const char* fmt, ...) {
	if (!g_cfg.verbose) return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fdb-sim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/* ---- seeded random streams (splitmix64) ---- */
static uint64_t g_fault_state = 1, g_backoff_state = 2;

static uint64_t splitmix(uint64_t* s) {
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double unit(uint64_t x) { return (double)(x >> 11) / 9007199254740992.0; }
double rng_fault(void) { return unit(splitmix(&g_fault_state)); }
double rng_backoff(void) { return unit(splitmix(&g_backoff_state)); }

static void reseed(uint64_t seed) {
	g_cfg.seed = seed;
	g_fault_state = seed * 0x2545F4914F6CDD1DULL + 1;
	g_backoff_state = seed ^ 0xD1B54A32D192ED03ULL;
}

/* ---- settings from the environment (read at fdb_setup_network) ---- */

typedef struct {
	const char* name;
	int code;
} fault_name;
static const fault_name FAULT_NAMES[] = {
	{ "not_committed", E_NOT_COMMITTED },
	{ "commit_unknown_result", E_COMMIT_UNKNOWN_RESULT },
	{ "commit_unknown_result_applied", FAULT_UNKNOWN_APPLIED },
	{ "commit_unknown_result_not_applied", FAULT_UNKNOWN_NOT_APPLIED },
	{ "transaction_too_old", E_TRANSACTION_TOO_OLD },
	{ "future_version", E_FUTURE_VERSION },
	{ "process_behind", E_PROCESS_BEHIND },
	{ "database_locked", E_DATABASE_LOCKED },
	{ "tag_throttled", E_TAG_THROTTLED },
	{ "batch_transaction_throttled", E_BATCH_TRANSACTION_THROTTLED },
	{ "commit_proxy_memory_limit_exceeded", E_COMMIT_PROXY_MEMORY_LIMIT_EXCEEDED },
	{ "proxy_memory_limit_exceeded", E_COMMIT_PROXY_MEMORY_LIMIT_EXCEEDED },
	{ "grv_proxy_memory_limit_exceeded", E_GRV_PROXY_MEMORY_LIMIT_EXCEEDED },
	{ "cluster_version_changed", E_CLUSTER_VERSION_CHANGED },
};

static int parse_fault_list(const char* s, int* out, int cap) {
	int n = 0;
	char buf[64];
	while (*s) {
		while (*s == ',' || *s == ' ') s++;
		if (!*s) break;
		int len = 0;
		while (s[len] && s[len] != ',' && s[len] != ' ') len++;
		if (len >= (int)sizeof(buf)) return -1;
		memcpy(buf, s, (size_t)len);
		buf[len] = 0;
		s += len;
		int code = 0;
		for (size_t i = 0; i < sizeof(FAULT_NAMES) / sizeof(FAULT_NAMES[0]); i++)
			if (strcmp(FAULT_NAMES[i].name, buf) == 0) code = FAULT_NAMES[i].code;
		if (!code) {
			char* end;
			long v = strtol(buf, &end, 10);
			if (*end || v <= 0) return -1;
			code = (int)v;
		}
		if (n == cap) return -1;
		out[n++] = code;
	}
	return n;
}

static int parse_double(const char* v, double lo, double hi, double* out) {
	char* end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || d < lo || d > hi) return -1;
	*out = d;
	return 0;
}

static int parse_i64(const char* v, int64_t lo, int64_t hi, int64_t* out) {
	char* end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi) return -1;
	*out = x;
	return 0;
}

/* caller holds sim_lock */
static fdb_error_t configure_locked(const char* name, const char* value) {
	int64_t i;
	double d;
	if (strcmp(name, "FDB_SIM_SEED") == 0) {
		char* end;
		errno = 0;
		unsigned long long s = strtoull(value, &end, 10);
		if (errno || end == value || *end) return E_INVALID_OPTION_VALUE;
		reseed(s);
	} else if (strcmp(name, "FDB_SIM_FAULT_RATE") == 0) {
		if (parse_double(value, 0, 1, &d)) return E_INVALID_OPTION_VALUE;
		g_cfg.fault_rate = d;
	} else if (strcmp(name, "FDB_SIM_READ_FAULT_RATE") == 0) {
		if (parse_double(value, 0, 1, &d)) return E_INVALID_OPTION_VALUE;
		g_cfg.read_fault_rate = d;
	} else if (strcmp(name, "FDB_SIM_FAULTS") == 0) {
		int tmp[16];
		int n = parse_fault_list(value, tmp, 16);
		if (n <= 0) return E_INVALID_OPTION_VALUE;
		memcpy(g_cfg.faults, tmp, sizeof(int) * (size_t)n);
		g_cfg.nfaults = n;
	} else if (strcmp(name, "FDB_SIM_READ_FAULTS") == 0) {
		int tmp[8];
		int n = parse_fault_list(value, tmp, 8);
		if (n <= 0) return E_INVALID_OPTION_VALUE;
		memcpy(g_cfg.read_faults, tmp, sizeof(int) * (size_t)n);
		g_cfg.nread_faults = n;
	} else if (strcmp(name, "FDB_SIM_LATENCY_US") == 0) {
		if (parse_i64(value, 0, 10000000, &i)) return E_INVALID_OPTION_VALUE;
		g_cfg.latency_ns = i * 1000;
	} else if (strcmp(name, "FDB_SIM_MAX_TXN_AGE_MS") == 0) {
		if (parse_i64(value, 1, 3600000, &i)) return E_INVALID_OPTION_VALUE;
		g_cfg.max_txn_age_ns = i * 1000000;
	} else if (strcmp(name, "FDB_SIM_UNREACHABLE") == 0) {
		if (parse_i64(value, 0, 1, &i)) return E_INVALID_OPTION_VALUE;
		g_cfg.unreachable = (int)i;
	} else if (strcmp(name, "FDB_SIM_STRICT_CLUSTER_FILE") == 0) {
		if (parse_i64(value, 0, 1, &i)) return E_INVALID_OPTION_VALUE;
		g_cfg.strict_cluster_file = (int)i;
	} else if (strcmp(name, "FDB_SIM_VERBOSE") == 0) {
		if (parse_i64(value, 0, 1, &i)) return E_INVALID_OPTION_VALUE;
		g_cfg.verbose = (int)i;
	} else {
		return E_INVALID_OPTION;
	}
	return 0;
}

static const char* SETTINGS[] = {
	"FDB_SIM_SEED",        "FDB_SIM_FAULT_RATE",     "FDB_SIM_READ_FAULT_RATE",     "FDB_SIM_FAULTS",
	"FDB_SIM_READ_FAULTS", "FDB_SIM_LATENCY_US",     "FDB_SIM_MAX_TXN_AGE_MS",      "FDB_SIM_UNREACHABLE",
	"FDB_SIM_STRICT_CLUSTER_FILE", "FDB_SIM_VERBOSE",
};

/* Reads FDB_SIM_* from the environment; a malformed value is reported and fails setup. */
static fdb_error_t configure_from_env(void) {
	reseed(g_cfg.seed);
	for (size_t k = 0; k < sizeof(SETTINGS) / sizeof(SETTINGS[0]); k++) {
		const char* v = getenv(SETTINGS[k]);
		if (!v || !*v) continue;
		fdb_error_t e = configure_locked(SETTINGS[k], v);
		if (e) {
			fprintf(stderr, "fdb-sim: invalid %s=%s (see tests/fdb-sim/README.md)\n", SETTINGS[k], v);
			return e;
		}
	}
	return 0;
}

fdb_error_t fdb_sim_configure(const char* name, const char* value) {
	if (!name || !value) return E_INVALID_OPTION_VALUE;
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = configure_locked(name, value);
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* ---- stats ---- */

static const char* STAT_NAMES[FDB_SIM_STAT_COUNT] = {
	"commits",          "readOnlyCommits",   "conflicts",
	"tooOld",           "injected",          "injectedNotCommitted",
	"injectedUnknownApplied", "injectedUnknownNotApplied", "injectedTooOld",
	"injectedOther",    "injectedRead",      "idempotencyResolved",
	"retries",          "onErrorGaveUp",     "watchesFired",
	"timeouts",         "version",           "liveFutures",
	"liveTransactions", "liveDatabases",     "keys",
};

static void snapshot_stats(int64_t* out) {
	g_stats[FDB_SIM_STAT_VERSION] = g_version;
	g_stats[FDB_SIM_STAT_KEYS] = store_live_keys();
	memcpy(out, g_stats, sizeof(g_stats));
}

int fdb_sim_stats(int64_t* out, int capacity) {
	int64_t copy[FDB_SIM_STAT_COUNT];
	pthread_mutex_lock(&sim_lock);
	snapshot_stats(copy);
	pthread_mutex_unlock(&sim_lock);
	for (int i = 0; i < capacity && i < FDB_SIM_STAT_COUNT; i++) out[i] = copy[i];
	return FDB_SIM_STAT_COUNT;
}

const char* fdb_sim_stats_json(void) {
	static __thread char buf[2048];
	int64_t copy[FDB_SIM_STAT_COUNT];
	pthread_mutex_lock(&sim_lock);
	snapshot_stats(copy);
	pthread_mutex_unlock(&sim_lock);
	int off = snprintf(buf, sizeof(buf), "{");
	for (int i = 0; i < FDB_SIM_STAT_COUNT; i++)
		off += snprintf(buf + off, sizeof(buf) - (size_t)off, "%s\"%s\":%lld", i ? "," : "", STAT_NAMES[i],
		                (long long)copy[i]);
	snprintf(buf + off, sizeof(buf) - (size_t)off, "}");
	return buf;
}

/* ---- API version ---- */

fdb_error_t fdb_select_api_version_impl(int runtime_version, int header_version) {
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = 0;
	if (g_api_version != 0 && g_api_version != runtime_version)
		e = E_API_VERSION_ALREADY_SET;
	else if (runtime_version > header_version)
		e = E_API_VERSION_INVALID;
	else if (header_version > FDB_SIM_MAX_API_VERSION || runtime_version > FDB_SIM_MAX_API_VERSION ||
	         runtime_version < FDB_SIM_MIN_API_VERSION)
		e = E_API_VERSION_NOT_SUPPORTED;
	else
		g_api_version = runtime_version;
	pthread_mutex_unlock(&sim_lock);
	return e;
}

int fdb_get_max_api_version(void) { return FDB_SIM_MAX_API_VERSION; }

const char* fdb_get_client_version(void) { return "7.3.0-fdb-sim,0000000000000000000000000000000000000000,fdb00b073000000"; }

/* ---- network ---- */

fdb_error_t fdb_network_set_option(int option, uint8_t const* value, int value_length) {
	(void)option;
	(void)value;
	(void)value_length;
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = g_api_version ? 0 : E_API_VERSION_UNSET;
	pthread_mutex_unlock(&sim_lock);
	return e; /* every network option is accepted: TLS, tracing, external clients mean nothing here */
}

fdb_error_t fdb_setup_network(void) {
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = 0;
	if (!g_api_version)
		e = E_API_VERSION_UNSET;
	else if (g_network_setup)
		e = E_NETWORK_ALREADY_SETUP;
	else {
		e = configure_from_env();
		if (!e) {
			store_init();
			g_network_setup = 1;
		}
	}
	pthread_mutex_unlock(&sim_lock);
	if (!e)
		sim_log("network set up: seed=%llu fault_rate=%g read_fault_rate=%g latency_us=%lld", (unsigned long long)g_cfg.seed,
		        g_cfg.fault_rate, g_cfg.read_fault_rate, (long long)(g_cfg.latency_ns / 1000));
	return e;
}

fdb_error_t fdb_add_network_thread_completion_hook(void (*hook)(void*), void* hook_parameter) {
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = 0;
	if (g_nhooks == (int)(sizeof(g_hooks) / sizeof(g_hooks[0])))
		e = E_CLIENT_INVALID_OPERATION;
	else
		g_hooks[g_nhooks++] = (completion_hook){ hook, hook_parameter };
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* Completion queue: a binary heap ordered by (due, seq). Each entry holds a reference. */
typedef struct {
	int64_t due;
	uint64_t seq;
	FDBFuture* f;
} qentry;
static qentry* g_q = NULL;
static int g_qn = 0, g_qcap = 0;
static uint64_t g_qseq = 0;

static int q_less(const qentry* a, const qentry* b) { return a->due < b->due || (a->due == b->due && a->seq < b->seq); }

static void q_push(qentry e) {
	if (g_qn == g_qcap) {
		g_qcap = g_qcap ? g_qcap * 2 : 256;
		g_q = xrealloc(g_q, sizeof(qentry) * (size_t)g_qcap);
	}
	int i = g_qn++;
	g_q[i] = e;
	while (i > 0) {
		int p = (i - 1) / 2;
		if (!q_less(&g_q[i], &g_q[p])) break;
		qentry t = g_q[i];
		g_q[i] = g_q[p];
		g_q[p] = t;
		i = p;
	}
}

static qentry q_pop(void) {
	qentry top = g_q[0];
	g_q[0] = g_q[--g_qn];
	int i = 0;
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < g_qn && q_less(&g_q[l], &g_q[m])) m = l;
		if (r < g_qn && q_less(&g_q[r], &g_q[m])) m = r;
		if (m == i) break;
		qentry t = g_q[i];
		g_q[i] = g_q[m];
		g_q[m] = t;
		i = m;
	}
	return top;
}

void future_schedule(FDBFuture* f, int64_t delay_ns) {
	f->refs++;
	q_push((qentry){ now_ns() + delay_ns, g_qseq++, f });
	pthread_cond_signal(&net_cv);
}

static int on_network_thread(void) {
	return g_on_network_thread_known && pthread_equal(pthread_self(), g_network_thread);
}

/* Marks f ready and runs its callback (without the lock); drops the queue's reference. */
static void deliver(FDBFuture* f) {
	FDBCallback cb = NULL;
	void* param = NULL;
	if (!f->ready && f->client) {
		f->ready = 1;
		if (f->cb_set && f->cb) {
			cb = f->cb;
			param = f->cb_param;
			f->cb = NULL;
		}
		pthread_cond_broadcast(&ready_cv);
	}
	if (cb) {
		pthread_mutex_unlock(&sim_lock);
		cb(f, param);
		pthread_mutex_lock(&sim_lock);
	}
	future_unref_locked(f);
}

fdb_error_t fdb_run_network(void) {
	pthread_mutex_lock(&sim_lock);
	if (!g_network_setup) {
		pthread_mutex_unlock(&sim_lock);
		return E_NETWORK_NOT_SETUP;
	}
	if (g_network_ran) {
		pthread_mutex_unlock(&sim_lock);
		return E_NETWORK_CANNOT_BE_RESTARTED;
	}
	g_network_ran = 1;
	g_network_thread = pthread_self();
	g_on_network_thread_known = 1;
	int64_t next_gc = now_ns();
	while (!g_network_stop) {
		int64_t now = now_ns();
		if (now >= next_gc) {
			/* drop history no transaction may read any more */
			int64_t horizon = store_horizon();
			store_gc(horizon);
			conflict_log_gc(horizon);
			next_gc = now + 500000000LL;
		}
		if (g_qn > 0 && g_q[0].due <= now) {
			qentry e = q_pop();
			deliver(e.f);
			continue;
		}
		int64_t wake = next_gc;
		if (g_qn > 0 && g_q[0].due < wake) wake = g_q[0].due;
		/* condition variables wait on the realtime clock: convert the monotonic deadline */
		struct timespec rt;
		clock_gettime(CLOCK_REALTIME, &rt);
		int64_t abs_ns = (int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec + (wake - now);
		struct timespec ts = { (time_t)(abs_ns / 1000000000LL), (long)(abs_ns % 1000000000LL) };
		pthread_cond_timedwait(&net_cv, &sim_lock, &ts);
	}
	completion_hook hooks[16];
	int nhooks = g_nhooks;
	memcpy(hooks, g_hooks, sizeof(hooks));
	pthread_mutex_unlock(&sim_lock);
	for (int i = 0; i < nhooks; i++) hooks[i].hook(hooks[i].param);
	return 0;
}

fdb_error_t fdb_stop_network(void) {
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = 0;
	if (!g_network_setup)
		e = E_NETWORK_NOT_SETUP;
	else {
		g_network_stop = 1;
		pthread_cond_signal(&net_cv);
	}
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* ---- futures ---- */

FDBFuture* future_new(ftype type) {
	FDBFuture* f = xcalloc(1, sizeof(FDBFuture));
	f->refs = 1;
	f->client = 1;
	f->type = type;
	g_stats[FDB_SIM_STAT_LIVE_FUTURES]++;
	return f;
}

FDBFuture* future_error(ftype type, fdb_error_t err) {
	FDBFuture* f = future_new(type);
	f->err = err;
	future_schedule(f, 0);
	return f;
}

void future_free_results(FDBFuture* f) {
	free(f->data);
	f->data = NULL;
	free(f->array);
	f->array = NULL;
	f->len = f->count = 0;
}

void future_unref_locked(FDBFuture* f) {
	if (--f->refs > 0) return;
	future_free_results(f);
	free(f);
}

void fdb_future_cancel(FDBFuture* f) {
	if (!f) return;
	pthread_mutex_lock(&sim_lock);
	if (!f->ready && f->client) {
		if (f->watch) watch_detach_locked(f->watch);
		future_free_results(f);
		f->err = E_OPERATION_CANCELLED;
		future_schedule(f, 0); /* the callback runs with operation_cancelled, from the network thread */
	}
	pthread_mutex_unlock(&sim_lock);
}

void fdb_future_release_memory(FDBFuture* f) {
	if (!f) return;
	pthread_mutex_lock(&sim_lock);
	if (f->ready) {
		future_free_results(f);
		f->released = 1;
	}
	pthread_mutex_unlock(&sim_lock);
}

void fdb_future_destroy(FDBFuture* f) {
	if (!f) return;
	pthread_mutex_lock(&sim_lock);
	if (f->client) {
		/* destroying cancels: a pending callback will not run */
		if (f->watch) watch_detach_locked(f->watch);
		f->client = 0;
		f->cb = NULL;
		g_stats[FDB_SIM_STAT_LIVE_FUTURES]--;
		future_unref_locked(f);
	}
	pthread_mutex_unlock(&sim_lock);
}

fdb_error_t fdb_future_block_until_ready(FDBFuture* f) {
	pthread_mutex_lock(&sim_lock);
	if (!f->ready && on_network_thread()) {
		pthread_mutex_unlock(&sim_lock);
		return E_BLOCKED_FROM_NETWORK_THREAD;
	}
	while (!f->ready) pthread_cond_wait(&ready_cv, &sim_lock);
	pthread_mutex_unlock(&sim_lock);
	return 0;
}

fdb_bool_t fdb_future_is_ready(FDBFuture* f) {
	pthread_mutex_lock(&sim_lock);
	int r = f->ready;
	pthread_mutex_unlock(&sim_lock);
	return r;
}

fdb_error_t fdb_future_set_callback(FDBFuture* f, FDBCallback callback, void* callback_parameter) {
	pthread_mutex_lock(&sim_lock);
	if (f->cb_set) {
		pthread_mutex_unlock(&sim_lock);
		return E_CLIENT_INVALID_OPERATION;
	}
	f->cb_set = 1;
	if (f->ready) {
		pthread_mutex_unlock(&sim_lock);
		callback(f, callback_parameter); /* already ready: called synchronously, on this thread */
		return 0;
	}
	f->cb = callback;
	f->cb_param = callback_parameter;
	pthread_mutex_unlock(&sim_lock);
	return 0;
}

fdb_error_t fdb_future_get_error(FDBFuture* f) {
	pthread_mutex_lock(&sim_lock);
	fdb_error_t e = f->ready ? f->err : E_FUTURE_NOT_SET;
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* Common checks of the getters; returns 0 when the result may be read. */
static fdb_error_t readable(FDBFuture* f, ftype want) {
	fdb_error_t e;
	pthread_mutex_lock(&sim_lock);
	if (!f->ready)
		e = E_FUTURE_NOT_SET;
	else if (f->err)
		e = f->err;
	else if (f->released)
		e = E_FUTURE_RELEASED;
	else if (f->type != want)
		e = E_CLIENT_INVALID_OPERATION;
	else
		e = 0;
	pthread_mutex_unlock(&sim_lock);
	return e; /* once ready, results never change until destroy: read them without the lock */
}

fdb_error_t fdb_future_get_bool(FDBFuture* f, fdb_bool_t* out) {
	fdb_error_t e = readable(f, FT_BOOL);
	if (!e) *out = f->i64 != 0;
	return e;
}

fdb_error_t fdb_future_get_int64(FDBFuture* f, int64_t* out) {
	fdb_error_t e = readable(f, FT_INT64);
	if (!e) *out = f->i64;
	return e;
}

fdb_error_t fdb_future_get_uint64(FDBFuture* f, uint64_t* out) {
	fdb_error_t e = readable(f, FT_INT64);
	if (!e) *out = (uint64_t)f->i64;
	return e;
}

fdb_error_t fdb_future_get_double(FDBFuture* f, double* out) {
	fdb_error_t e = readable(f, FT_INT64);
	if (!e) *out = (double)f->i64;
	return e;
}

fdb_error_t fdb_future_get_key(FDBFuture* f, uint8_t const** out_key, int* out_key_length) {
	fdb_error_t e = readable(f, FT_KEY);
	if (!e) {
		*out_key = f->data;
		*out_key_length = f->len;
	}
	return e;
}

fdb_error_t fdb_future_get_value(FDBFuture* f, fdb_bool_t* out_present, uint8_t const** out_value, int* out_value_length) {
	fdb_error_t e = readable(f, FT_VALUE);
	if (!e) {
		*out_present = f->present;
		*out_value = f->present ? f->data : NULL;
		*out_value_length = f->present ? f->len : 0;
	}
	return e;
}

fdb_error_t fdb_future_get_keyvalue_array(FDBFuture* f, FDBKeyValue const** out_kv, int* out_count, fdb_bool_t* out_more) {
	fdb_error_t e = readable(f, FT_KV);
	if (!e) {
		*out_kv = f->array;
		*out_count = f->count;
		*out_more = f->more;
	}
	return e;
}

fdb_error_t fdb_future_get_key_array(FDBFuture* f, FDBKey const** out_key_array, int* out_count) {
	fdb_error_t e = readable(f, FT_KEYS);
	if (!e) {
		*out_key_array = f->array;
		*out_count = f->count;
	}
	return e;
}

fdb_error_t fdb_future_get_string_array(FDBFuture* f, const char*** out_strings, int* out_count) {
	fdb_error_t e = readable(f, FT_STRINGS);
	if (!e) {
		*out_strings = f->array;
		*out_count = f->count;
	}
	return e;
}

fdb_error_t fdb_future_get_keyrange_array(FDBFuture* f, FDBKeyRange const** out_ranges, int* out_count) {
	(void)out_ranges;
	(void)out_count;
	fdb_error_t e = readable(f, FT_VOID);
	return e ? e : E_CLIENT_INVALID_OPERATION; /* no operation of the double returns key ranges */
}
