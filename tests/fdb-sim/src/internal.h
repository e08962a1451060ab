/*
 * Internal structures of the FoundationDB test double. One global mutex
 * (sim_lock) guards every shared structure: the store, the conflict log,
 * futures, transactions and the completion queue. User callbacks are always
 * called with the mutex released.
 */
#ifndef FDB_SIM_INTERNAL_H
#define FDB_SIM_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "../include/fdb_sim.h"

/* ---- error codes used by the double (names as in FoundationDB) ---- */
enum {
	E_SUCCESS = 0,
	E_TRANSACTION_TOO_OLD = 1007,
	E_FUTURE_VERSION = 1009,
	E_NOT_COMMITTED = 1020,
	E_COMMIT_UNKNOWN_RESULT = 1021,
	E_TRANSACTION_CANCELLED = 1025,
	E_TRANSACTION_TIMED_OUT = 1031,
	E_TOO_MANY_WATCHES = 1032,
	E_WATCHES_DISABLED = 1034,
	E_ACCESSED_UNREADABLE = 1036,
	E_PROCESS_BEHIND = 1037,
	E_DATABASE_LOCKED = 1038,
	E_CLUSTER_VERSION_CHANGED = 1039,
	E_COMMIT_PROXY_MEMORY_LIMIT_EXCEEDED = 1042,
	E_BATCH_TRANSACTION_THROTTLED = 1051,
	E_GRV_PROXY_MEMORY_LIMIT_EXCEEDED = 1078,
	E_BLOB_GRANULE_REQUEST_FAILED = 1079,
	E_OPERATION_CANCELLED = 1101,
	E_FUTURE_RELEASED = 1102,
	E_TAG_THROTTLED = 1213,
	E_PROXY_TAG_THROTTLED = 1223,
	E_TRANSACTION_THROTTLED_HOT_SHARD = 1235,
	E_NO_CLUSTER_FILE_FOUND = 1515,
	E_CLIENT_INVALID_OPERATION = 2000,
	E_KEY_OUTSIDE_LEGAL_RANGE = 2004,
	E_INVERTED_RANGE = 2005,
	E_INVALID_OPTION_VALUE = 2006,
	E_INVALID_OPTION = 2007,
	E_NETWORK_NOT_SETUP = 2008,
	E_NETWORK_ALREADY_SETUP = 2009,
	E_READ_VERSION_ALREADY_SET = 2010,
	E_VERSION_INVALID = 2011,
	E_RANGE_LIMITS_INVALID = 2012,
	E_FUTURE_NOT_SET = 2015,
	E_USED_DURING_COMMIT = 2017,
	E_INVALID_MUTATION_TYPE = 2018,
	E_NO_COMMIT_VERSION = 2021,
	E_NETWORK_CANNOT_BE_RESTARTED = 2025,
	E_BLOCKED_FROM_NETWORK_THREAD = 2026,
	E_TRANSACTION_TOO_LARGE = 2101,
	E_KEY_TOO_LARGE = 2102,
	E_VALUE_TOO_LARGE = 2103,
	E_CONNECTION_STRING_INVALID = 2104,
	E_API_VERSION_UNSET = 2200,
	E_API_VERSION_ALREADY_SET = 2201,
	E_API_VERSION_INVALID = 2202,
	E_API_VERSION_NOT_SUPPORTED = 2203,
	E_EXACT_MODE_WITHOUT_LIMITS = 2210
};

/* ---- FoundationDB limits (known-limitations.html) ---- */
#define KEY_SIZE_LIMIT 10000
#define SYSTEM_KEY_SIZE_LIMIT 30000
#define VALUE_SIZE_LIMIT 100000
#define TRANSACTION_SIZE_LIMIT 10000000
#define DEFAULT_MAX_WATCHES 10000

/* Mutation type codes beyond the public ones: set and clear-range, as in FoundationDB's MutationRef. */
enum { M_SET = 0, M_CLEAR_RANGE = 1, M_MIN_V2 = 18, M_AND_V2 = 19 };

/* ---- bytes ---- */
typedef struct {
	uint8_t* p;
	int n;
} bytes_t;

int bytes_cmp(const uint8_t* a, int an, const uint8_t* b, int bn);
uint8_t* bytes_dup(const uint8_t* p, int n);
/* key + "\x00": the smallest key after `p`. */
uint8_t* key_after(const uint8_t* p, int n, int* out_n);

typedef struct {
	bytes_t b, e; /* [b, e) */
} range_t;

typedef struct {
	range_t* v;
	int n, cap;
} ranges_t;

void ranges_push(ranges_t* r, const uint8_t* b, int bn, const uint8_t* e, int en);
void ranges_free(ranges_t* r);
int range_intersects(const range_t* x, const range_t* y);

void* xmalloc(size_t n);
void* xcalloc(size_t a, size_t b);
void* xrealloc(void* p, size_t n);

/* ---- skip list keyed by bytes ---- */
typedef struct snode {
	uint8_t* key;
	int klen;
	void* val;
	struct snode* prev;
	int level;
	struct snode* next[];
} snode;

typedef struct {
	snode* head;
	int level;
	int64_t count;
	uint64_t rng;
} skiplist;

void sl_init(skiplist* s);
/* First node with key >= k (inclusive) or > k (!inclusive); NULL at the end. */
snode* sl_seek(skiplist* s, const uint8_t* k, int kn, int inclusive);
/* Last node with key <= k (inclusive) or < k; NULL before the start. */
snode* sl_seek_back(skiplist* s, const uint8_t* k, int kn, int inclusive);
snode* sl_find(skiplist* s, const uint8_t* k, int kn);
/* Finds or inserts the node for k (val NULL when new). */
snode* sl_upsert(skiplist* s, const uint8_t* k, int kn);
void sl_remove(skiplist* s, snode* n);
snode* sl_first(skiplist* s);
snode* sl_last(skiplist* s);
static inline snode* sl_next(snode* n) { return n->next[0]; }
/* prev of the first node is the head sentinel (key NULL): callers test klen < 0. */
static inline snode* sl_prev(snode* n) { return (n->prev && n->prev->klen >= 0) ? n->prev : NULL; }
/* Frees every node; free_val is called on each value. */
void sl_clear(skiplist* s, void (*free_val)(void*));

/* ---- MVCC store (store.c) ---- */
typedef struct ventry {
	int64_t version;
	int present;
	uint8_t* val;
	int len;
	struct ventry* older;
} ventry;

/* The value of a store node at `version`, or NULL if absent. */
const ventry* store_at(snode* n, int64_t version);
snode* store_next_visible(snode* n, int64_t version, const uint8_t* end, int en);
snode* store_prev_visible(snode* n, int64_t version, const uint8_t* begin, int bn);
const ventry* store_get(const uint8_t* k, int kn, int64_t version);
void store_write(const uint8_t* k, int kn, int present, const uint8_t* v, int vn, int64_t version);
void store_clear_range(const uint8_t* b, int bn, const uint8_t* e, int en, int64_t version);
extern skiplist g_store;
int64_t store_live_keys(void);
void store_gc(int64_t horizon);
void store_init(void);

/* ---- atomic ops (atomic.c) ---- */
/* Applies op to an existing value (present or not); writes the result into *out (malloc'd),
 * returns 1 if the result is present, 0 if the key is cleared. */
int atomic_apply(int op, int present, const uint8_t* old, int oldn, const uint8_t* param, int pn, uint8_t** out, int* outn);
int atomic_is_known(int op);

/* ---- futures (future.c) ---- */
typedef enum { FT_VOID, FT_VALUE, FT_KEY, FT_KV, FT_INT64, FT_KEYS, FT_STRINGS, FT_BOOL } ftype;

struct FDB_future {
	int refs;      /* the client's reference + one per queue entry / watch list entry */
	int client;    /* 1 until fdb_future_destroy */
	int ready;
	int cb_set;
	FDBCallback cb;
	void* cb_param;
	fdb_error_t err;
	ftype type;
	int released;
	/* results */
	int present;
	uint8_t* data; /* value or key bytes; for arrays, one arena */
	int len;
	int64_t i64;
	int count;
	int more;
	void* array; /* FDBKeyValue*, FDBKey*, const char** */
	/* watch bookkeeping */
	struct watch_t* watch;
};

FDBFuture* future_new(ftype type);
/* Publishes f (ready + callback) from the network thread after delay_ns; caller holds sim_lock. */
void future_schedule(FDBFuture* f, int64_t delay_ns);
/* Future that fails with err, delivered asynchronously like any other. */
FDBFuture* future_error(ftype type, fdb_error_t err);
void future_free_results(FDBFuture* f);
void future_unref_locked(FDBFuture* f);

/* ---- watches (transaction.c) ---- */
typedef struct watch_t {
	FDBFuture* f;
	FDBDatabase* db;
	bytes_t key;
	int present;
	bytes_t value;
	struct watch_t* next; /* in the transaction's pending list, then the global list */
	int registered;
} watch_t;
void watches_on_commit(void);
void watch_detach_locked(watch_t* w);

/* ---- global state (network.c) ---- */
extern pthread_mutex_t sim_lock;
extern int g_api_version;
extern int g_network_setup;
extern int64_t g_version; /* last committed version */

typedef struct {
	uint64_t seed;
	double fault_rate;      /* per commit that writes */
	double read_fault_rate; /* per read */
	int faults[16];         /* codes; 1021 means both flavours */
	int nfaults;
	int read_faults[8];
	int nread_faults;
	int64_t latency_ns;
	int64_t max_txn_age_ns;
	int unreachable;
	int strict_cluster_file;
	int verbose;
} sim_config;
extern sim_config g_cfg;

/* Pseudo-fault code meaning "commit_unknown_result after applying the writes". */
#define FAULT_UNKNOWN_APPLIED 100021
#define FAULT_UNKNOWN_NOT_APPLIED 200021

extern int64_t g_stats[FDB_SIM_STAT_COUNT];

int64_t now_ns(void);
/* Seeded random in [0, 1): separate streams so retries do not shift fault decisions. */
double rng_fault(void);
double rng_backoff(void);
void sim_log(const char* fmt, ...);
/* Oldest version a transaction may still read at. */
int64_t store_horizon(void);
void note_commit_time(int64_t version);

/* ---- conflict log (store.c) ---- */
void conflict_log_add(int64_t version, const ranges_t* writes);
/* 1 if any write committed after `read_version` intersects a range of `reads`. */
int conflict_log_check(int64_t read_version, const ranges_t* reads);
void conflict_log_gc(int64_t horizon);

/* ---- database & transaction (transaction.c) ---- */
struct FDB_database {
	int refs;
	int client;
	int64_t timeout_ms;
	int64_t retry_limit;
	int64_t max_retry_delay_ms;
	int64_t size_limit;
	int snapshot_ryw_disabled;
	int automatic_idempotency;
	int64_t max_watches;
	int64_t watch_count;
};

#endif
