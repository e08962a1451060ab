/*
 * Unit tests of the FoundationDB test double's semantics, through its C API
 * only (the way a binding calls it). Built and run by tests/fdb-sim/sim_test.ts
 * (or: sh tests/fdb-sim/build.sh && cc ... see that file). Prints one line per
 * failed check and "N passed, M failed" at the end; exit status 1 on failure.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../include/fdb_sim.h"

static int passed = 0, failed = 0;
#define CHECK(cond)                                                                  \
	do {                                                                             \
		if (cond)                                                                    \
			passed++;                                                                \
		else {                                                                       \
			failed++;                                                                \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
		}                                                                            \
	} while (0)
#define CHECK_EQ(a, b)                                                               \
	do {                                                                             \
		long long _a = (long long)(a), _b = (long long)(b);                          \
		if (_a == _b)                                                                \
			passed++;                                                                \
		else {                                                                       \
			failed++;                                                                \
			fprintf(stderr, "FAIL %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, _a, _b); \
		}                                                                            \
	} while (0)

static FDBDatabase* db;
static pthread_t net_thread;

static void* run_net(void* arg) {
	(void)arg;
	fdb_error_t e = fdb_run_network();
	if (e) fprintf(stderr, "run_network: %d\n", e);
	return NULL;
}

#define K(s) (const uint8_t*)(s), (int)strlen(s)

static FDBTransaction* tx(void) {
	FDBTransaction* t = NULL;
	if (fdb_database_create_transaction(db, &t)) abort();
	return t;
}

/* Waits for f; returns its error and destroys it unless keep. */
static fdb_error_t wait_err(FDBFuture* f) {
	if (fdb_future_block_until_ready(f)) abort();
	fdb_error_t e = fdb_future_get_error(f);
	fdb_future_destroy(f);
	return e;
}

static fdb_error_t commit(FDBTransaction* t) { return wait_err(fdb_transaction_commit(t)); }

/* Reads key: returns -1 absent, else length, value copied into buf; error in *err. */
static int get(FDBTransaction* t, const char* k, int snapshot, char* buf, fdb_error_t* err) {
	FDBFuture* f = fdb_transaction_get(t, K(k), snapshot);
	fdb_future_block_until_ready(f);
	fdb_bool_t present = 0;
	const uint8_t* v = NULL;
	int n = 0;
	*err = fdb_future_get_value(f, &present, &v, &n);
	int r = -1;
	if (!*err && present) {
		memcpy(buf, v, (size_t)n);
		buf[n] = 0;
		r = n;
	}
	fdb_future_destroy(f);
	return r;
}

/* Value of k in a fresh transaction ("" if absent, "!err" on error). */
static const char* read_fresh(const char* k) {
	static char buf[200000];
	FDBTransaction* t = tx();
	fdb_error_t e;
	int n = get(t, k, 0, buf, &e);
	fdb_transaction_destroy(t);
	if (e) return "!err";
	if (n < 0) return "<absent>";
	return buf;
}

static void put(const char* k, const char* v) {
	FDBTransaction* t = tx();
	fdb_transaction_set(t, K(k), K(v));
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
}

static void clear_all(void) {
	FDBTransaction* t = tx();
	fdb_transaction_clear_range(t, (const uint8_t*)"", 0, (const uint8_t*)"\xff", 1);
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
}

/* Range read; writes "k=v," pairs into out; returns count. */
static int range(FDBTransaction* t, const char* b, int bor, int boff, const char* e, int eor, int eoff, int limit, int target,
                 int mode, int reverse, char* out, int* more, fdb_error_t* err) {
	FDBFuture* f = fdb_transaction_get_range(t, K(b), bor, boff, K(e), eor, eoff, limit, target, mode, 1, 0, reverse);
	fdb_future_block_until_ready(f);
	const FDBKeyValue* kv;
	int count = 0;
	fdb_bool_t m = 0;
	*err = fdb_future_get_keyvalue_array(f, &kv, &count, &m);
	out[0] = 0;
	if (!*err) {
		for (int i = 0; i < count; i++) {
			strncat(out, (const char*)kv[i].key, (size_t)kv[i].key_length);
			strcat(out, "=");
			strncat(out, (const char*)kv[i].value, (size_t)kv[i].value_length);
			strcat(out, ",");
		}
	}
	*more = m;
	fdb_future_destroy(f);
	return *err ? -1 : count;
}

static const char* get_key(FDBTransaction* t, const char* k, int or_equal, int offset) {
	static char buf[256];
	FDBFuture* f = fdb_transaction_get_key(t, K(k), or_equal, offset, 0);
	fdb_future_block_until_ready(f);
	const uint8_t* key;
	int n;
	if (fdb_future_get_key(f, &key, &n)) {
		fdb_future_destroy(f);
		return "!err";
	}
	memcpy(buf, key, (size_t)n);
	buf[n] = 0;
	fdb_future_destroy(f);
	return buf;
}

static void test_layout(void) {
	CHECK_EQ(sizeof(FDBKeyValue), 24);
	CHECK_EQ(offsetof(FDBKeyValue, value), 12);
	CHECK_EQ(offsetof(FDBKeyValue, value_length), 20);
	CHECK_EQ(sizeof(FDBKey), 12);
	CHECK_EQ(sizeof(FDBKeyRange), 24);
}

static void test_errors(void) {
	CHECK(strcmp(fdb_get_error(1020), "Transaction not committed due to conflict with another transaction") == 0);
	CHECK(strcmp(fdb_get_error(1021), "Transaction may or may not have committed") == 0);
	CHECK(strcmp(fdb_get_error(0), "Success") == 0);
	CHECK(strcmp(fdb_get_error(2101), "Transaction exceeds byte limit") == 0);
	CHECK(strcmp(fdb_get_error(1515), "No cluster file found in current directory or default location") == 0);
	CHECK(strcmp(fdb_get_error(12345), "UNKNOWN_ERROR") == 0);
	CHECK(fdb_error_predicate(50000, 1020));
	CHECK(fdb_error_predicate(50000, 1021));
	CHECK(fdb_error_predicate(50001, 1021));
	CHECK(!fdb_error_predicate(50001, 1020));
	CHECK(fdb_error_predicate(50002, 1007));
	CHECK(!fdb_error_predicate(50002, 1021));
	CHECK(!fdb_error_predicate(50000, 1031));
	CHECK(!fdb_error_predicate(50000, 2101));
}

static pthread_t cb_thread_value;
static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static int cb_calls = 0;
static void on_ready(FDBFuture* f, void* p) {
	(void)f;
	pthread_mutex_lock(&cb_lock);
	cb_thread_value = pthread_self();
	pthread_mutex_unlock(&cb_lock);
	__atomic_store_n((int*)p, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&cb_calls, 1, __ATOMIC_SEQ_CST);
}
static pthread_t cb_thread_get(void) {
	pthread_mutex_lock(&cb_lock);
	pthread_t t = cb_thread_value;
	pthread_mutex_unlock(&cb_lock);
	return t;
}
#define cb_thread cb_thread_get()

/* A callback runs on the network thread once its future is ready, while a waiter
 * on the same future may already have returned: poll for it (up to 1 s) instead
 * of expecting it to have run. */
static int callback_ran(int* flag) {
	for (int i = 0; i < 1000 && !__atomic_load_n(flag, __ATOMIC_SEQ_CST); i++) usleep(1000);
	return __atomic_load_n(flag, __ATOMIC_SEQ_CST);
}

static void test_callbacks(void) {
	FDBTransaction* t = tx();
	fdb_sim_configure("FDB_SIM_LATENCY_US", "20000");
	int flag = 0;
	FDBFuture* f = fdb_transaction_get(t, K("cb"), 0);
	CHECK(!fdb_future_is_ready(f));
	CHECK_EQ(fdb_future_get_error(f), 2015); /* future_not_set */
	CHECK_EQ(fdb_future_set_callback(f, on_ready, &flag), 0);
	for (int i = 0; i < 200 && !__atomic_load_n(&flag, __ATOMIC_SEQ_CST); i++) usleep(1000);
	CHECK(__atomic_load_n(&flag, __ATOMIC_SEQ_CST));
	CHECK(pthread_equal(cb_thread, net_thread)); /* later: from the network thread */
	fdb_future_destroy(f);
	fdb_sim_configure("FDB_SIM_LATENCY_US", "0");
	/* already ready: called synchronously on the calling thread */
	f = fdb_transaction_get(t, K("cb"), 0);
	fdb_future_block_until_ready(f);
	flag = 0;
	CHECK_EQ(fdb_future_set_callback(f, on_ready, &flag), 0);
	CHECK(flag);
	CHECK(pthread_equal(cb_thread, pthread_self()));
	fdb_future_destroy(f);
	/* destroying a pending future: its callback never runs */
	fdb_sim_configure("FDB_SIM_LATENCY_US", "20000");
	int before = __atomic_load_n(&cb_calls, __ATOMIC_SEQ_CST);
	f = fdb_transaction_get(t, K("cb"), 0);
	CHECK_EQ(fdb_future_set_callback(f, on_ready, &flag), 0);
	fdb_future_destroy(f);
	usleep(50000);
	CHECK_EQ(__atomic_load_n(&cb_calls, __ATOMIC_SEQ_CST), before);
	fdb_sim_configure("FDB_SIM_LATENCY_US", "0");
	/* release_memory: results gone, error stays */
	f = fdb_transaction_get(t, K("cb"), 0);
	fdb_future_block_until_ready(f);
	fdb_future_release_memory(f);
	fdb_bool_t present;
	const uint8_t* v;
	int n;
	CHECK_EQ(fdb_future_get_value(f, &present, &v, &n), 1102);
	CHECK_EQ(fdb_future_get_error(f), 0);
	fdb_future_destroy(f);
	fdb_transaction_destroy(t);
}

static void test_basic_and_ryw(void) {
	clear_all();
	put("a", "1");
	CHECK(strcmp(read_fresh("a"), "1") == 0);
	CHECK(strcmp(read_fresh("zz"), "<absent>") == 0);

	FDBTransaction* t = tx();
	char buf[256];
	fdb_error_t e;
	fdb_transaction_set(t, K("b"), K("2"));
	CHECK_EQ(get(t, "b", 0, buf, &e), 1);
	CHECK(strcmp(buf, "2") == 0);
	fdb_transaction_clear(t, K("a"));
	CHECK_EQ(get(t, "a", 0, buf, &e), -1);
	CHECK(strcmp(read_fresh("b"), "<absent>") == 0); /* not committed yet */
	CHECK_EQ(commit(t), 0);
	int64_t cv = 0;
	CHECK_EQ(fdb_transaction_get_committed_version(t, &cv), 0);
	CHECK(cv > 0);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("a"), "<absent>") == 0);
	CHECK(strcmp(read_fresh("b"), "2") == 0);

	/* ranges over pending sets, clears, clear_range and atomic ops */
	clear_all();
	put("r1", "x");
	put("r2", "x");
	put("r3", "x");
	put("r5", "x");
	t = tx();
	fdb_transaction_clear_range(t, K("r2"), K("r4"));
	fdb_transaction_set(t, K("r25"), K("new"));
	fdb_transaction_set(t, K("r4"), K("y"));
	uint8_t one[8] = { 1 };
	fdb_transaction_atomic_op(t, K("r5"), one, 8, FDB_SIM_MUTATION_ADD); /* over "x" from the database */
	fdb_transaction_atomic_op(t, K("r6"), one, 8, FDB_SIM_MUTATION_ADD); /* over a missing key */
	char out[4096];
	int more;
	int c = range(t, "r", 0, 1, "s", 0, 1, 0, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 0, out, &more, &e);
	CHECK_EQ(c, 5);
	if (c != 5) fprintf(stderr, "got %s\n", out);
	CHECK(strncmp(out, "r1=x,r25=new,r4=y,r5=y", 22) == 0);
	c = range(t, "r", 0, 1, "s", 0, 1, 2, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 1, out, &more, &e);
	CHECK_EQ(c, 2);
	CHECK(more);
	CHECK(strncmp(out, "r6=", 3) == 0);
	c = range(t, "r", 0, 1, "s", 0, 1, 0, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 1, out, &more, &e);
	CHECK_EQ(c, 5);
	CHECK(strstr(out, "r5=y,r4=y,r25=new,r1=x,") != NULL);
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("r2"), "<absent>") == 0);
	CHECK(strcmp(read_fresh("r25"), "new") == 0);
	CHECK(strcmp(read_fresh("r5"), "y") == 0); /* 'x' + 1 = 'y' (one byte operand) */
}

static void test_snapshot_isolation_and_conflicts(void) {
	clear_all();
	put("k", "v1");
	char buf[256];
	fdb_error_t e;
	/* A sees its read version's snapshot while B commits */
	FDBTransaction* a = tx();
	CHECK_EQ(get(a, "k", 0, buf, &e), 2);
	put("k", "v2");
	CHECK_EQ(get(a, "k", 0, buf, &e), 2);
	CHECK(strcmp(buf, "v1") == 0);
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 1020); /* read k, k written after its read version */
	fdb_transaction_destroy(a);

	/* snapshot reads add no conflict */
	a = tx();
	CHECK_EQ(get(a, "k", 1, buf, &e), 2);
	put("k", "v3");
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);

	/* blind writes never conflict */
	a = tx();
	fdb_transaction_set(a, K("k"), K("blind"));
	put("k", "v4");
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);

	/* a range read conflicts on phantoms */
	a = tx();
	char out[1024];
	int more;
	range(a, "p", 0, 1, "q", 0, 1, 0, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 0, out, &more, &e);
	put("p-new", "x");
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 1020);
	fdb_transaction_destroy(a);

	/* explicit read conflict range */
	a = tx();
	CHECK_EQ(get(a, "unrelated", 0, buf, &e), -1);
	CHECK_EQ(fdb_transaction_add_conflict_range(a, K("m"), K("n"), FDB_SIM_CONFLICT_RANGE_TYPE_READ), 0);
	put("m1", "x");
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 1020);
	fdb_transaction_destroy(a);
	a = tx();
	CHECK_EQ(fdb_transaction_add_conflict_range(a, K("n"), K("m"), 0), 2005);
	fdb_transaction_destroy(a);

	/* explicit write conflict range makes a reader conflict */
	a = tx();
	FDBTransaction* b = tx();
	CHECK_EQ(get(a, "w1", 0, buf, &e), -1);
	CHECK_EQ(fdb_transaction_add_conflict_range(b, K("w"), K("x"), FDB_SIM_CONFLICT_RANGE_TYPE_WRITE), 0);
	CHECK_EQ(commit(b), 0);
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 1020);
	fdb_transaction_destroy(a);
	fdb_transaction_destroy(b);

	/* reading a key the transaction set first adds no read conflict */
	a = tx();
	fdb_transaction_set(a, K("own"), K("1"));
	CHECK_EQ(get(a, "own", 0, buf, &e), 1);
	put("own", "2");
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);

	/* read-only transactions never conflict */
	a = tx();
	CHECK_EQ(get(a, "k", 0, buf, &e), 5);
	put("k", "v5");
	CHECK_EQ(commit(a), 0);
	int64_t cv = 0;
	fdb_transaction_get_committed_version(a, &cv);
	CHECK_EQ(cv, -1);
	fdb_transaction_destroy(a);

	/* a prefix range read does not conflict with writes just past its end */
	clear_all();
	put("h1:a", "x");
	put("h2:a", "x");
	a = tx();
	CHECK_EQ(range(a, "h1:", 0, 1, "h1;", 0, 1, 0, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 0, out, &more, &e), 1);
	put("h1;zzz", "x"); /* after the end key, before the next existing key h2:a */
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);
	a = tx();
	CHECK_EQ(range(a, "h1:", 0, 1, "h1;", 0, 1, 0, 0, FDB_SIM_STREAMING_MODE_WANT_ALL, 0, out, &more, &e), 1);
	put("h1:b", "x"); /* a phantom inside the range */
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 1020);
	fdb_transaction_destroy(a);

	/* a range read cut by its limit conflicts only up to its last row */
	clear_all();
	put("l1", "x");
	put("l2", "x");
	put("l3", "x");
	a = tx();
	CHECK_EQ(range(a, "l", 0, 1, "m", 0, 1, 1, 0, FDB_SIM_STREAMING_MODE_EXACT, 0, out, &more, &e), 1);
	put("l3", "y");
	fdb_transaction_set(a, K("other"), K("x"));
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);
}

static void test_selectors_and_ranges(void) {
	clear_all();
	const char* keys[] = { "b", "d", "f", "h" };
	for (int i = 0; i < 4; i++) put(keys[i], keys[i]);
	FDBTransaction* t = tx();
	CHECK(strcmp(get_key(t, "d", 0, 1), "d") == 0); /* firstGreaterOrEqual */
	CHECK(strcmp(get_key(t, "d", 1, 1), "f") == 0); /* firstGreaterThan */
	CHECK(strcmp(get_key(t, "d", 0, 0), "b") == 0); /* lastLessThan */
	CHECK(strcmp(get_key(t, "d", 1, 0), "d") == 0); /* lastLessOrEqual */
	CHECK(strcmp(get_key(t, "c", 0, 1), "d") == 0);
	CHECK(strcmp(get_key(t, "c", 0, 0), "b") == 0);
	CHECK(strcmp(get_key(t, "b", 0, 3), "f") == 0);  /* offset */
	CHECK(strcmp(get_key(t, "h", 1, -1), "f") == 0); /* negative offset */
	CHECK(strcmp(get_key(t, "z", 0, 1), "\xff") == 0); /* past the end */
	CHECK(strcmp(get_key(t, "a", 0, 0), "") == 0);     /* before the start */

	char out[1024];
	int more;
	fdb_error_t e;
	CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 0, 0, -2, 0, out, &more, &e), 4);
	CHECK(strcmp(out, "b=b,d=d,f=f,h=h,") == 0);
	CHECK(!more);
	CHECK_EQ(range(t, "c", 0, 1, "g", 0, 1, 0, 0, -2, 1, out, &more, &e), 2);
	CHECK(strcmp(out, "f=f,d=d,") == 0);
	CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 3, 0, 0, 0, out, &more, &e), 3);
	CHECK(more);
	CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 4, 0, 0, 0, out, &more, &e), 4);
	CHECK(!more); /* exactly the rows left: no more */
	CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 0, 1, -2, 0, out, &more, &e), 1); /* target_bytes 1: one row */
	CHECK(more);
	/* selectors as range ends: (firstGreaterThan d, lastLessOrEqual h + 1) */
	CHECK_EQ(range(t, "d", 1, 1, "h", 1, 1, 0, 0, -1, 0, out, &more, &e), 2);
	CHECK(strcmp(out, "f=f,h=h,") == 0);
	CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 0, 0, 0, 0, out, &more, &e), -1);
	CHECK_EQ(e, 2210); /* EXACT without a limit */
	CHECK_EQ(range(t, "", 0, 1, "\xff\x01", 0, 1, 0, 0, -2, 0, out, &more, &e), -1);
	CHECK_EQ(e, 2004); /* beyond the user keyspace */
	CHECK_EQ(range(t, "h", 0, 1, "b", 0, 1, 0, 0, -2, 0, out, &more, &e), 0); /* inverted: empty */
	for (int mode = -2; mode <= 4; mode++) {
		if (mode == 0) continue;
		CHECK_EQ(range(t, "", 0, 1, "\xff", 0, 1, 0, 0, mode, 0, out, &more, &e), 4);
	}
	fdb_transaction_destroy(t);
}

static void atomic(const char* k, const void* p, int pn, int op) {
	FDBTransaction* t = tx();
	fdb_transaction_atomic_op(t, K(k), p, pn, op);
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
}

static int64_t read_le(const char* k) {
	const char* v = read_fresh(k);
	int64_t x = 0;
	memcpy(&x, v, 8);
	return x;
}

static void test_atomics(void) {
	clear_all();
	int64_t five = 5, minus2 = -2, big = 1000, small = 3;
	atomic("add", &five, 8, FDB_SIM_MUTATION_ADD);
	atomic("add", &minus2, 8, FDB_SIM_MUTATION_ADD);
	CHECK_EQ(read_le("add"), 3);
	atomic("and", "\x0f", 1, FDB_SIM_MUTATION_BIT_AND); /* missing key: stores the operand */
	CHECK(strcmp(read_fresh("and"), "\x0f") == 0);
	atomic("and", "\x3c", 1, FDB_SIM_MUTATION_BIT_AND);
	CHECK(strcmp(read_fresh("and"), "\x0c") == 0);
	atomic("or", "\x01", 1, FDB_SIM_MUTATION_BIT_OR);
	atomic("or", "\x02", 1, FDB_SIM_MUTATION_BIT_OR);
	CHECK(strcmp(read_fresh("or"), "\x03") == 0);
	atomic("xor", "\x03", 1, FDB_SIM_MUTATION_BIT_XOR);
	atomic("xor", "\x01", 1, FDB_SIM_MUTATION_BIT_XOR);
	CHECK(strcmp(read_fresh("xor"), "\x02") == 0);
	atomic("max", &small, 8, FDB_SIM_MUTATION_MAX);
	atomic("max", &big, 8, FDB_SIM_MUTATION_MAX);
	atomic("max", &five, 8, FDB_SIM_MUTATION_MAX);
	CHECK_EQ(read_le("max"), 1000);
	atomic("min", &big, 8, FDB_SIM_MUTATION_MIN); /* missing key: stores the operand */
	atomic("min", &small, 8, FDB_SIM_MUTATION_MIN);
	atomic("min", &five, 8, FDB_SIM_MUTATION_MIN);
	CHECK_EQ(read_le("min"), 3);
	atomic("bmin", "m", 1, FDB_SIM_MUTATION_BYTE_MIN);
	atomic("bmin", "c", 1, FDB_SIM_MUTATION_BYTE_MIN);
	atomic("bmin", "x", 1, FDB_SIM_MUTATION_BYTE_MIN);
	CHECK(strcmp(read_fresh("bmin"), "c") == 0);
	atomic("bmax", "m", 1, FDB_SIM_MUTATION_BYTE_MAX);
	atomic("bmax", "x", 1, FDB_SIM_MUTATION_BYTE_MAX);
	atomic("bmax", "c", 1, FDB_SIM_MUTATION_BYTE_MAX);
	CHECK(strcmp(read_fresh("bmax"), "x") == 0);
	atomic("app", "ab", 2, FDB_SIM_MUTATION_APPEND_IF_FITS);
	atomic("app", "cd", 2, FDB_SIM_MUTATION_APPEND_IF_FITS);
	CHECK(strcmp(read_fresh("app"), "abcd") == 0);
	static char big_val[99999];
	memset(big_val, 'z', sizeof(big_val));
	atomic("app", big_val, (int)sizeof(big_val), FDB_SIM_MUTATION_APPEND_IF_FITS); /* would pass 100,000: dropped */
	CHECK(strcmp(read_fresh("app"), "abcd") == 0);
	atomic("cac", "\x00", 1, FDB_SIM_MUTATION_ADD);
	atomic("cac", "\x01", 1, FDB_SIM_MUTATION_COMPARE_AND_CLEAR);
	CHECK(strcmp(read_fresh("cac"), "<absent>") != 0);
	atomic("cac", "\x00", 1, FDB_SIM_MUTATION_COMPARE_AND_CLEAR);
	CHECK(strcmp(read_fresh("cac"), "<absent>") == 0);
	/* ADD result takes the operand's length; overflow wraps */
	atomic("wrap", "\xff", 1, FDB_SIM_MUTATION_ADD);
	atomic("wrap", "\x02", 1, FDB_SIM_MUTATION_ADD);
	CHECK(strcmp(read_fresh("wrap"), "\x01") == 0);
	/* unknown mutation type fails the commit with 2018 */
	FDBTransaction* t = tx();
	fdb_transaction_atomic_op(t, K("x"), (const uint8_t*)"a", 1, 99);
	CHECK_EQ(commit(t), 2018);
	fdb_transaction_destroy(t);
	/* atomic ops add no read conflict to their own transaction */
	FDBTransaction* a = tx();
	fdb_transaction_atomic_op(a, K("add"), (const uint8_t*)&five, 8, FDB_SIM_MUTATION_ADD);
	atomic("add", &five, 8, FDB_SIM_MUTATION_ADD);
	CHECK_EQ(commit(a), 0);
	fdb_transaction_destroy(a);
	CHECK_EQ(read_le("add"), 13);
}

static void test_versionstamps(void) {
	clear_all();
	FDBTransaction* t = tx();
	/* key "vs" + 10 placeholder bytes + "!" + offset 2 */
	uint8_t key[2 + 10 + 1 + 4] = { 'v', 's' };
	key[12] = '!';
	int32_t off = 2;
	memcpy(key + 13, &off, 4);
	fdb_transaction_atomic_op(t, K("ignored-"), (const uint8_t*)"", 0, 0); /* op 0 (set) is not atomic */
	fdb_transaction_reset(t);
	fdb_transaction_atomic_op(t, key, (int)sizeof(key), (const uint8_t*)"val", 3, FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY);
	uint8_t param[3 + 10 + 4] = { 'p', 'r', 'e' };
	int32_t voff = 3;
	memcpy(param + 13, &voff, 4);
	fdb_transaction_atomic_op(t, K("vsv"), param, (int)sizeof(param), FDB_SIM_MUTATION_SET_VERSIONSTAMPED_VALUE);
	char buf[64];
	fdb_error_t e;
	CHECK_EQ(get(t, "vsv", 0, buf, &e), -1);
	CHECK_EQ(e, 1036); /* accessed_unreadable */
	char out[1024];
	int more;
	CHECK_EQ(range(t, "vs", 0, 1, "vt", 0, 1, 0, 0, -2, 0, out, &more, &e), -1);
	CHECK_EQ(e, 1036);
	FDBFuture* vsf = fdb_transaction_get_versionstamp(t);
	CHECK(!fdb_future_is_ready(vsf));
	CHECK_EQ(commit(t), 0);
	fdb_future_block_until_ready(vsf);
	const uint8_t* stamp;
	int n;
	CHECK_EQ(fdb_future_get_key(vsf, &stamp, &n), 0);
	CHECK_EQ(n, 10);
	int64_t cv;
	fdb_transaction_get_committed_version(t, &cv);
	int64_t be = 0;
	for (int i = 0; i < 8; i++) be = (be << 8) | stamp[i];
	CHECK_EQ(be, cv);
	uint8_t expect_key[13];
	memcpy(expect_key, "vs", 2);
	memcpy(expect_key + 2, stamp, 10);
	expect_key[12] = '!';
	FDBTransaction* r = tx();
	FDBFuture* g = fdb_transaction_get(r, expect_key, 13, 0);
	fdb_future_block_until_ready(g);
	fdb_bool_t present;
	const uint8_t* v;
	int vn;
	CHECK_EQ(fdb_future_get_value(g, &present, &v, &vn), 0);
	CHECK(present && vn == 3 && memcmp(v, "val", 3) == 0);
	fdb_future_destroy(g);
	g = fdb_transaction_get(r, K("vsv"), 0);
	fdb_future_block_until_ready(g);
	CHECK_EQ(fdb_future_get_value(g, &present, &v, &vn), 0);
	CHECK(present && vn == 13 && memcmp(v, "pre", 3) == 0 && memcmp(v + 3, stamp, 10) == 0);
	fdb_future_destroy(g);
	fdb_future_destroy(vsf);
	fdb_transaction_destroy(t);
	/* read-only: no commit version */
	vsf = fdb_transaction_get_versionstamp(r);
	CHECK_EQ(commit(r), 0);
	CHECK_EQ(wait_err(vsf), 2021);
	fdb_transaction_destroy(r);
	/* reset before commit: transaction_cancelled */
	t = tx();
	vsf = fdb_transaction_get_versionstamp(t);
	fdb_transaction_reset(t);
	CHECK_EQ(wait_err(vsf), 1025);
	/* bad offset → client_invalid_operation at commit */
	int32_t bad = 100;
	memcpy(key + 13, &bad, 4);
	fdb_transaction_atomic_op(t, key, (int)sizeof(key), (const uint8_t*)"v", 1, FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY);
	CHECK_EQ(commit(t), 2000);
	fdb_transaction_destroy(t);
}

static void test_watches(void) {
	clear_all();
	put("w", "1");
	FDBTransaction* t = tx();
	FDBFuture* w = fdb_transaction_watch(t, K("w"));
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t); /* the watch outlives its transaction */
	usleep(10000);
	CHECK(!fdb_future_is_ready(w));
	put("w", "1"); /* same value: no change */
	usleep(10000);
	CHECK(!fdb_future_is_ready(w));
	int flag = 0;
	CHECK_EQ(fdb_future_set_callback(w, on_ready, &flag), 0);
	put("w", "2");
	CHECK_EQ(wait_err(w), 0);
	CHECK(callback_ran(&flag));

	/* own write fires at once after commit */
	t = tx();
	w = fdb_transaction_watch(t, K("w"));
	fdb_transaction_set(t, K("w"), K("3"));
	CHECK_EQ(commit(t), 0);
	CHECK_EQ(wait_err(w), 0);
	fdb_transaction_destroy(t);

	/* destroyed or reset before commit: transaction_cancelled */
	t = tx();
	w = fdb_transaction_watch(t, K("w"));
	fdb_transaction_destroy(t);
	CHECK_EQ(wait_err(w), 1025);
	t = tx();
	w = fdb_transaction_watch(t, K("w"));
	fdb_transaction_reset(t);
	CHECK_EQ(wait_err(w), 1025);
	fdb_transaction_destroy(t);
	/* failed commit passes its error */
	FDBTransaction* a = tx();
	char buf[64];
	fdb_error_t e;
	get(a, "w", 0, buf, &e);
	w = fdb_transaction_watch(a, K("zz"));
	fdb_transaction_set(a, K("q"), K("q"));
	put("w", "4");
	CHECK_EQ(commit(a), 1020);
	CHECK_EQ(wait_err(w), 1020);
	fdb_transaction_destroy(a);
	/* cancel → operation_cancelled, callback called */
	t = tx();
	w = fdb_transaction_watch(t, K("w"));
	CHECK_EQ(commit(t), 0);
	flag = 0;
	CHECK_EQ(fdb_future_set_callback(w, on_ready, &flag), 0);
	fdb_future_cancel(w);
	CHECK_EQ(wait_err(w), 1101);
	CHECK(callback_ran(&flag));
	fdb_transaction_destroy(t);
	/* read_your_writes_disable → watches_disabled */
	t = tx();
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_READ_YOUR_WRITES_DISABLE, NULL, 0), 0);
	CHECK_EQ(wait_err(fdb_transaction_watch(t, K("w"))), 1034);
	fdb_transaction_destroy(t);
	/* max_watches */
	int64_t one = 1;
	CHECK_EQ(fdb_database_set_option(db, FDB_SIM_DB_OPTION_MAX_WATCHES, (const uint8_t*)&one, 8), 0);
	t = tx();
	FDBFuture* w1 = fdb_transaction_watch(t, K("w"));
	CHECK_EQ(wait_err(fdb_transaction_watch(t, K("w2"))), 1032);
	fdb_future_destroy(w1);
	fdb_transaction_destroy(t);
	int64_t dflt = 10000;
	fdb_database_set_option(db, FDB_SIM_DB_OPTION_MAX_WATCHES, (const uint8_t*)&dflt, 8);
}

static void test_limits(void) {
	static char big[100002];
	memset(big, 'k', sizeof(big));
	FDBTransaction* t = tx();
	fdb_transaction_set(t, (const uint8_t*)big, 10001, K("v"));
	CHECK_EQ(commit(t), 2102);
	fdb_transaction_reset(t);
	fdb_transaction_set(t, (const uint8_t*)big, 10000, K("v")); /* exactly the limit is allowed */
	CHECK_EQ(commit(t), 0);
	fdb_transaction_reset(t);
	fdb_transaction_set(t, K("k"), (const uint8_t*)big, 100001);
	CHECK_EQ(commit(t), 2103);
	fdb_transaction_reset(t);
	fdb_transaction_set(t, K("\xff/sys"), K("v"));
	CHECK_EQ(commit(t), 2004);
	fdb_transaction_reset(t);
	int64_t limit = 1000;
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_SIZE_LIMIT, (const uint8_t*)&limit, 8), 0);
	for (int i = 0; i < 20; i++) fdb_transaction_set(t, (const uint8_t*)big, 50 + i, (const uint8_t*)big, 50);
	CHECK_EQ(commit(t), 2101);
	fdb_transaction_reset(t);
	int64_t tiny = 10;
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_SIZE_LIMIT, (const uint8_t*)&tiny, 8), 2006);
	/* 10 MB default: eleven 1 MB values fail */
	static char mb[100000];
	memset(mb, 'v', sizeof(mb));
	for (int i = 0; i < 101; i++) {
		char k[16];
		snprintf(k, sizeof(k), "big%03d", i);
		fdb_transaction_set(t, K(k), (const uint8_t*)mb, (int)sizeof(mb));
	}
	CHECK_EQ(commit(t), 2101);
	FDBFuture* sz = fdb_transaction_get_approximate_size(t);
	fdb_future_block_until_ready(sz);
	int64_t size = 0;
	CHECK_EQ(fdb_future_get_int64(sz, &size), 0);
	CHECK(size > 10000000);
	fdb_future_destroy(sz);
	fdb_transaction_destroy(t);

	/* transaction_too_old after the max age (shortened here) */
	fdb_sim_configure("FDB_SIM_MAX_TXN_AGE_MS", "100");
	t = tx();
	char buf[64];
	fdb_error_t e;
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 0);
	usleep(150000);
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 1007);
	fdb_transaction_set(t, K("a"), K("b"));
	CHECK_EQ(commit(t), 1007);
	fdb_transaction_destroy(t);
	fdb_sim_configure("FDB_SIM_MAX_TXN_AGE_MS", "5000");
}

static void test_on_error_and_options(void) {
	clear_all();
	FDBTransaction* t = tx();
	fdb_transaction_set(t, K("oe"), K("1"));
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1020)), 0); /* retry: reset */
	CHECK_EQ(commit(t), 0);
	CHECK(strcmp(read_fresh("oe"), "<absent>") == 0); /* the write was discarded by the reset */
	fdb_transaction_reset(t);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1021)), 0);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1007)), 0);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 2101)), 2101);
	/* after a failed on_error the transaction is cancelled until reset */
	char buf[64];
	fdb_error_t e;
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 1025);
	fdb_transaction_reset(t);
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 0);
	/* retry_limit 2: two retries, then the error itself */
	int64_t two = 2;
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_RETRY_LIMIT, (const uint8_t*)&two, 8), 0);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1020)), 0);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1020)), 0);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1020)), 1020);
	fdb_transaction_reset(t);
	/* timeout: operations fail with 1031, on_error does not retry it */
	int64_t ms = 30;
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_TIMEOUT, (const uint8_t*)&ms, 8), 0);
	usleep(50000);
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 1031);
	CHECK_EQ(wait_err(fdb_transaction_on_error(t, 1031)), 1031);
	fdb_transaction_reset(t);
	get(t, "a", 0, buf, &e);
	CHECK_EQ(e, 0);
	/* options: bad length refused, unknown codes accepted */
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_TIMEOUT, (const uint8_t*)&ms, 4), 2006);
	CHECK_EQ(fdb_transaction_set_option(t, 9999, NULL, 0), 0);
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_PRIORITY_BATCH, NULL, 0), 0);
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_AUTOMATIC_IDEMPOTENCY, NULL, 0), 0);
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_READ_YOUR_WRITES_DISABLE, NULL, 0), 2000); /* after a read */
	CHECK_EQ(fdb_database_set_option(db, 12345, NULL, 0), 0);
	CHECK_EQ(fdb_network_set_option(12345, NULL, 0), 0);
	fdb_transaction_destroy(t);
	/* snapshot_ryw_disable: snapshot reads skip own writes */
	t = tx();
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_SNAPSHOT_RYW_DISABLE, NULL, 0), 0);
	fdb_transaction_set(t, K("sr"), K("mine"));
	CHECK_EQ(get(t, "sr", 1, buf, &e), -1);
	CHECK_EQ(get(t, "sr", 0, buf, &e), 4);
	fdb_transaction_destroy(t);
	/* read_your_writes_disable: reads skip own writes */
	t = tx();
	CHECK_EQ(fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_READ_YOUR_WRITES_DISABLE, NULL, 0), 0);
	fdb_transaction_set(t, K("sr"), K("mine"));
	CHECK_EQ(get(t, "sr", 0, buf, &e), -1);
	fdb_transaction_destroy(t);
	/* read version: get and set */
	t = tx();
	FDBFuture* rv = fdb_transaction_get_read_version(t);
	fdb_future_block_until_ready(rv);
	int64_t v = 0;
	CHECK_EQ(fdb_future_get_int64(rv, &v), 0);
	CHECK(v > 0);
	fdb_future_destroy(rv);
	put("rv", "after");
	FDBTransaction* old = tx();
	fdb_transaction_set_read_version(old, v);
	CHECK_EQ(get(old, "rv", 0, buf, &e), -1); /* sees the older snapshot */
	fdb_transaction_destroy(old);
	old = tx();
	fdb_transaction_set_read_version(old, v + 1000000);
	get(old, "rv", 0, buf, &e);
	CHECK_EQ(e, 1009);
	fdb_transaction_destroy(old);
	fdb_transaction_destroy(t);
	/* commit twice: the second is refused */
	t = tx();
	fdb_transaction_set(t, K("twice"), K("1"));
	CHECK_EQ(commit(t), 0);
	CHECK_EQ(commit(t), 2017);
	fdb_transaction_destroy(t);
}

static void test_faults(void) {
	int64_t before[FDB_SIM_STAT_COUNT], after[FDB_SIM_STAT_COUNT];
	fdb_sim_stats(before, FDB_SIM_STAT_COUNT);
	fdb_sim_configure("FDB_SIM_FAULTS", "not_committed");
	fdb_sim_configure("FDB_SIM_FAULT_RATE", "1");
	FDBTransaction* t = tx();
	fdb_transaction_set(t, K("f"), K("1"));
	CHECK_EQ(commit(t), 1020);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("f"), "<absent>") == 0);
	/* read-only commits are never failed */
	t = tx();
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
	fdb_sim_configure("FDB_SIM_FAULTS", "commit_unknown_result_applied");
	t = tx();
	fdb_transaction_set(t, K("f"), K("applied"));
	CHECK_EQ(commit(t), 1021);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("f"), "applied") == 0);
	fdb_sim_configure("FDB_SIM_FAULTS", "commit_unknown_result_not_applied");
	t = tx();
	fdb_transaction_set(t, K("f"), K("dropped"));
	CHECK_EQ(commit(t), 1021);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("f"), "applied") == 0);
	/* automatic idempotency resolves unknown results */
	t = tx();
	fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_AUTOMATIC_IDEMPOTENCY, NULL, 0);
	fdb_transaction_set(t, K("f"), K("idem"));
	CHECK_EQ(commit(t), 1007); /* not applied → transaction_too_old, safe to retry */
	fdb_transaction_destroy(t);
	fdb_sim_configure("FDB_SIM_FAULTS", "commit_unknown_result_applied");
	t = tx();
	fdb_transaction_set_option(t, FDB_SIM_TR_OPTION_AUTOMATIC_IDEMPOTENCY, NULL, 0);
	fdb_transaction_set(t, K("f"), K("idem"));
	CHECK_EQ(commit(t), 0);
	fdb_transaction_destroy(t);
	CHECK(strcmp(read_fresh("f"), "idem") == 0);
	/* both flavours appear with commit_unknown_result */
	fdb_sim_configure("FDB_SIM_FAULTS", "commit_unknown_result,transaction_too_old");
	fdb_sim_configure("FDB_SIM_FAULT_RATE", "0.5");
	fdb_sim_configure("FDB_SIM_SEED", "42");
	for (int i = 0; i < 200; i++) {
		t = tx();
		fdb_transaction_set(t, K("g"), K("x"));
		(void)commit(t);
		fdb_transaction_destroy(t);
	}
	fdb_sim_configure("FDB_SIM_FAULT_RATE", "0");
	fdb_sim_stats(after, FDB_SIM_STAT_COUNT);
	CHECK(after[FDB_SIM_STAT_INJECTED_UNKNOWN_APPLIED] - before[FDB_SIM_STAT_INJECTED_UNKNOWN_APPLIED] > 10);
	CHECK(after[FDB_SIM_STAT_INJECTED_UNKNOWN_NOT_APPLIED] - before[FDB_SIM_STAT_INJECTED_UNKNOWN_NOT_APPLIED] > 10);
	CHECK(after[FDB_SIM_STAT_INJECTED_TOO_OLD] - before[FDB_SIM_STAT_INJECTED_TOO_OLD] > 10);
	CHECK(after[FDB_SIM_STAT_INJECTED_NOT_COMMITTED] - before[FDB_SIM_STAT_INJECTED_NOT_COMMITTED] == 1);
	CHECK(after[FDB_SIM_STAT_IDEMPOTENCY_RESOLVED] - before[FDB_SIM_STAT_IDEMPOTENCY_RESOLVED] == 2);
	/* read faults */
	fdb_sim_configure("FDB_SIM_READ_FAULTS", "process_behind");
	fdb_sim_configure("FDB_SIM_READ_FAULT_RATE", "1");
	CHECK(strcmp(read_fresh("f"), "!err") == 0);
	fdb_sim_configure("FDB_SIM_READ_FAULT_RATE", "0");
	CHECK_EQ(fdb_sim_configure("FDB_SIM_FAULT_RATE", "2"), 2006);
	CHECK_EQ(fdb_sim_configure("FDB_SIM_NOPE", "1"), 2007);
	CHECK_EQ(fdb_sim_configure("FDB_SIM_FAULTS", "storage_on_fire"), 2006);
	const char* json = fdb_sim_stats_json();
	CHECK(strstr(json, "\"injectedUnknownApplied\":") != NULL);
}

/* Many threads increment one counter by read-modify-write in retry loops; none is lost. */
static void* incr_worker(void* arg) {
	int n = *(int*)arg;
	FDBTransaction* t = tx();
	for (int i = 0; i < n; i++) {
		for (;;) {
			char buf[64];
			fdb_error_t e;
			int len = get(t, "ctr", 0, buf, &e);
			if (!e) {
				long v = len > 0 ? atol(buf) : 0;
				char nv[32];
				snprintf(nv, sizeof(nv), "%ld", v + 1);
				fdb_transaction_set(t, K("ctr"), K(nv));
				e = commit(t);
			}
			if (!e) {
				fdb_transaction_reset(t);
				break;
			}
			if (wait_err(fdb_transaction_on_error(t, e))) abort();
		}
	}
	fdb_transaction_destroy(t);
	return NULL;
}

static void test_concurrency(void) {
	clear_all();
	int64_t before[FDB_SIM_STAT_COUNT], after[FDB_SIM_STAT_COUNT];
	fdb_sim_stats(before, FDB_SIM_STAT_COUNT);
	pthread_t th[8];
	int n = 50;
	for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, incr_worker, &n);
	for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
	CHECK(strcmp(read_fresh("ctr"), "400") == 0);
	fdb_sim_stats(after, FDB_SIM_STAT_COUNT);
	printf("concurrency: 8 threads x 50 increments, %lld conflicts, %lld retries\n",
	       (long long)(after[FDB_SIM_STAT_CONFLICTS] - before[FDB_SIM_STAT_CONFLICTS]),
	       (long long)(after[FDB_SIM_STAT_RETRIES] - before[FDB_SIM_STAT_RETRIES]));
}

static void test_split_points_and_sizes(void) {
	clear_all();
	for (int i = 0; i < 100; i++) {
		char k[16];
		snprintf(k, sizeof(k), "s%03d", i);
		put(k, "0123456789");
	}
	FDBTransaction* t = tx();
	FDBFuture* f = fdb_transaction_get_estimated_range_size_bytes(t, K("s"), K("t"));
	fdb_future_block_until_ready(f);
	int64_t size = 0;
	CHECK_EQ(fdb_future_get_int64(f, &size), 0);
	CHECK_EQ(size, 100 * (4 + 10));
	fdb_future_destroy(f);
	f = fdb_transaction_get_range_split_points(t, K("s"), K("t"), 140);
	fdb_future_block_until_ready(f);
	const FDBKey* keys;
	int count = 0;
	CHECK_EQ(fdb_future_get_key_array(f, &keys, &count), 0);
	CHECK(count >= 10 && count <= 12);
	CHECK(keys[0].key_length == 1 && keys[0].key[0] == 's');
	CHECK(keys[count - 1].key_length == 1 && keys[count - 1].key[0] == 't');
	fdb_future_destroy(f);
	f = fdb_transaction_get_addresses_for_key(t, K("s"));
	fdb_future_block_until_ready(f);
	const char** strs;
	CHECK_EQ(fdb_future_get_string_array(f, &strs, &count), 0);
	CHECK_EQ(count, 1);
	CHECK(strchr(strs[0], ':') != NULL);
	fdb_future_destroy(f);
	fdb_transaction_destroy(t);
}

int main(void) {
	test_layout();
	test_errors();
	CHECK_EQ(fdb_setup_network(), 2200); /* api version unset */
	CHECK_EQ(fdb_select_api_version_impl(740, 740), 2203);
	CHECK_EQ(fdb_select_api_version_impl(730, 720), 2202);
	CHECK_EQ(fdb_select_api_version_impl(730, 730), 0);
	CHECK_EQ(fdb_select_api_version_impl(720, 730), 2201);
	CHECK_EQ(fdb_get_max_api_version(), 730);
	FDBDatabase* d0 = NULL;
	CHECK_EQ(fdb_create_database("/nonexistent/fdb.cluster", &d0), 2008); /* before setup */
	CHECK_EQ(fdb_setup_network(), 0);
	CHECK_EQ(fdb_setup_network(), 2009);
	pthread_create(&net_thread, NULL, run_net, NULL);
	CHECK_EQ(fdb_create_database("/nonexistent/fdb.cluster", &d0), 1515);
	char path[] = "/tmp/fdb-sim-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (write(fd, "test:test@127.0.0.1:4500\n", 25) != 25) abort();
	close(fd);
	CHECK_EQ(fdb_create_database(path, &db), 0);

	test_callbacks();
	test_basic_and_ryw();
	test_snapshot_isolation_and_conflicts();
	test_selectors_and_ranges();
	test_atomics();
	test_versionstamps();
	test_watches();
	test_limits();
	test_on_error_and_options();
	test_faults();
	test_split_points_and_sizes();
	test_concurrency();

	int64_t stats[FDB_SIM_STAT_COUNT];
	fdb_database_destroy(db);
	fdb_sim_stats(stats, FDB_SIM_STAT_COUNT);
	CHECK_EQ(stats[FDB_SIM_STAT_LIVE_FUTURES], 0);
	CHECK_EQ(stats[FDB_SIM_STAT_LIVE_TRANSACTIONS], 0);
	CHECK_EQ(stats[FDB_SIM_STAT_LIVE_DATABASES], 0);
	CHECK_EQ(fdb_stop_network(), 0);
	pthread_join(net_thread, NULL);
	CHECK_EQ(fdb_run_network(), 2025);
	unlink(path);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
