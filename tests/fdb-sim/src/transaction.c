/*
 * Databases and transactions: read versions, read-your-writes, snapshot
 * reads, key selectors, range reads, atomic operations, versionstamps,
 * optimistic conflict detection at commit, on_error retries with backoff,
 * watches, FoundationDB's size and time limits, and injected faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* ---- buffered writes of one transaction ---- */

typedef struct op_t {
	int type;
	uint8_t* p;
	int n;
	struct op_t* next;
} op_t;

/* What the transaction knows about one key it wrote. */
typedef struct {
	int independent; /* value known without reading the database (set, clear, ops over a clear) */
	int present;
	uint8_t* val;
	int vlen;
	op_t* ops; /* atomic ops over the database value, when !independent */
	op_t* ops_tail;
	int unreadable; /* SET_VERSIONSTAMPED_VALUE: readable only after commit */
} point_t;

typedef struct {
	int type; /* M_SET, M_CLEAR_RANGE or an atomic op */
	bytes_t k;
	bytes_t p; /* value, operand, or the end key of a clear range */
} mut_t;

struct FDB_transaction {
	FDBDatabase* db;
	/* options kept by on_error (FoundationDB's persistent options) */
	int64_t timeout_ms, retry_limit, max_retry_delay_ms, size_limit;
	int automatic_idempotency;
	/* options reset by on_error */
	int ryw_disabled, snapshot_ryw_disabled, access_system, read_system, next_write_no_conflict;
	/* lifetime across retries */
	int64_t created_ns; /* start of the timeout; reset() restarts it, on_error does not */
	int64_t retries;
	double backoff_s;
	/* this attempt */
	int has_rv;
	int64_t rv, rv_time;
	int committed;
	int64_t committed_version;
	int read_only_commit;
	uint8_t vstamp[10];
	fdb_error_t deferred_err;  /* from a void call (set, clear...): reported by the next read and commit */
	fdb_error_t cancelled_err; /* 1025 after cancel or a failed on_error, 1031 after the timeout */
	mut_t* muts;
	int nmuts, capmuts;
	int64_t mut_bytes, conflict_bytes;
	skiplist points;
	ranges_t clears; /* sorted, disjoint */
	ranges_t unreadable;
	ranges_t reads, writes;
	watch_t* watches; /* created by this attempt, registered at commit */
	FDBFuture** vs;   /* get_versionstamp futures waiting for the commit */
	int nvs, capvs;
};

static watch_t* g_watches = NULL; /* registered watches */

#define DEFAULT_BACKOFF_S 0.01

static const uint8_t MAX_USER_KEY[] = { 0xff };
static const uint8_t MAX_SYSTEM_KEY[] = { 0xff, 0xff };

/* ---- small helpers ---- */

static int max_read_key(FDBTransaction* tr, const uint8_t** k) {
	*k = (tr->read_system || tr->access_system) ? MAX_SYSTEM_KEY : MAX_USER_KEY;
	return (tr->read_system || tr->access_system) ? 2 : 1;
}

static int max_write_key(FDBTransaction* tr, const uint8_t** k) {
	*k = tr->access_system ? MAX_SYSTEM_KEY : MAX_USER_KEY;
	return tr->access_system ? 2 : 1;
}

static int key_size_limit(const uint8_t* k, int kn) {
	return (kn > 0 && k[0] == 0xff) ? SYSTEM_KEY_SIZE_LIMIT : KEY_SIZE_LIMIT;
}

static void set_deferred(FDBTransaction* tr, fdb_error_t e) {
	if (!tr->deferred_err) tr->deferred_err = e;
}

static void free_ops(op_t* o) {
	while (o) {
		op_t* n = o->next;
		free(o->p);
		free(o);
		o = n;
	}
}

static void free_point(void* v) {
	point_t* p = v;
	free(p->val);
	free_ops(p->ops);
	free(p);
}

static int timed_out(FDBTransaction* tr) {
	if (tr->cancelled_err == E_TRANSACTION_TIMED_OUT) return 1;
	if (tr->timeout_ms > 0 && now_ns() - tr->created_ns >= tr->timeout_ms * 1000000LL) {
		if (!tr->cancelled_err) {
			tr->cancelled_err = E_TRANSACTION_TIMED_OUT;
			g_stats[FDB_SIM_STAT_TIMEOUTS]++;
		}
		return 1;
	}
	return 0;
}

/* The error every operation reports once the transaction is cancelled or timed out. */
static fdb_error_t sticky_error(FDBTransaction* tr) {
	timed_out(tr);
	return tr->cancelled_err;
}

/* Takes the read version at the first read; 0 or why reads at it must fail. */
static fdb_error_t ensure_read_version(FDBTransaction* tr) {
	if (!tr->has_rv) {
		tr->has_rv = 1;
		tr->rv = g_version;
		tr->rv_time = now_ns();
	}
	if (tr->rv > g_version) return E_FUTURE_VERSION;
	if (tr->rv < store_horizon() || now_ns() - tr->rv_time > g_cfg.max_txn_age_ns) {
		g_stats[FDB_SIM_STAT_TOO_OLD]++;
		return E_TRANSACTION_TOO_OLD;
	}
	return 0;
}

static fdb_error_t injected_read_fault(void) {
	if (g_cfg.read_fault_rate <= 0 || g_cfg.nread_faults == 0) return 0;
	if (rng_fault() >= g_cfg.read_fault_rate) return 0;
	int code = g_cfg.read_faults[(int)(rng_fault() * g_cfg.nread_faults) % g_cfg.nread_faults];
	g_stats[FDB_SIM_STAT_INJECTED]++;
	g_stats[FDB_SIM_STAT_INJECTED_READ]++;
	sim_log("injected %d on a read", code);
	return code;
}

/* Publishes a read or commit result: after the configured latency, or never while unreachable. */
static void publish(FDBTransaction* tr, FDBFuture* f) {
	if (g_cfg.unreachable && !f->err) {
		/* no cluster answers: only the transaction timeout ends the wait, as with a real client */
		if (tr->timeout_ms > 0) {
			int64_t left = tr->created_ns + tr->timeout_ms * 1000000LL - now_ns();
			future_free_results(f);
			f->err = E_TRANSACTION_TIMED_OUT;
			future_schedule(f, left > 0 ? left : 0);
		}
		return;
	}
	future_schedule(f, g_cfg.latency_ns);
}

static void add_read_conflict(FDBTransaction* tr, const uint8_t* b, int bn, const uint8_t* e, int en) {
	if (bytes_cmp(b, bn, e, en) >= 0) return;
	ranges_push(&tr->reads, b, bn, e, en);
	tr->conflict_bytes += bn + en;
}

static void add_read_conflict_key(FDBTransaction* tr, const uint8_t* k, int kn) {
	int an;
	uint8_t* a = key_after(k, kn, &an);
	add_read_conflict(tr, k, kn, a, an);
	free(a);
}

static void add_write_conflict(FDBTransaction* tr, const uint8_t* b, int bn, const uint8_t* e, int en) {
	if (tr->next_write_no_conflict) {
		tr->next_write_no_conflict = 0;
		return;
	}
	if (bytes_cmp(b, bn, e, en) >= 0) return;
	ranges_push(&tr->writes, b, bn, e, en);
	tr->conflict_bytes += bn + en;
}

static void add_write_conflict_key(FDBTransaction* tr, const uint8_t* k, int kn) {
	int an;
	uint8_t* a = key_after(k, kn, &an);
	add_write_conflict(tr, k, kn, a, an);
	free(a);
}

static void push_mut(FDBTransaction* tr, int type, const uint8_t* k, int kn, const uint8_t* p, int pn) {
	if (tr->nmuts == tr->capmuts) {
		tr->capmuts = tr->capmuts ? tr->capmuts * 2 : 16;
		tr->muts = xrealloc(tr->muts, sizeof(mut_t) * (size_t)tr->capmuts);
	}
	mut_t* m = &tr->muts[tr->nmuts++];
	m->type = type;
	m->k.p = bytes_dup(k, kn);
	m->k.n = kn;
	m->p.p = bytes_dup(p, pn);
	m->p.n = pn;
	tr->mut_bytes += kn + pn;
}

/* ---- cleared ranges (sorted, disjoint) ---- */

/* Index of the cleared range containing k, or -1. */
static int clear_containing(FDBTransaction* tr, const uint8_t* k, int kn) {
	int lo = 0, hi = tr->clears.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		range_t* r = &tr->clears.v[mid];
		if (bytes_cmp(r->e.p, r->e.n, k, kn) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tr->clears.n && bytes_cmp(tr->clears.v[lo].b.p, tr->clears.v[lo].b.n, k, kn) <= 0) return lo;
	return -1;
}

static void clears_add(FDBTransaction* tr, const uint8_t* b, int bn, const uint8_t* e, int en) {
	/* merge every range touching [b, e) into one */
	uint8_t* nb = bytes_dup(b, bn);
	int nbn = bn;
	uint8_t* ne = bytes_dup(e, en);
	int nen = en;
	ranges_t out = { 0 };
	int inserted = 0;
	for (int i = 0; i < tr->clears.n; i++) {
		range_t* r = &tr->clears.v[i];
		if (bytes_cmp(r->e.p, r->e.n, nb, nbn) < 0) {
			ranges_push(&out, r->b.p, r->b.n, r->e.p, r->e.n);
		} else if (bytes_cmp(r->b.p, r->b.n, ne, nen) > 0) {
			if (!inserted) {
				ranges_push(&out, nb, nbn, ne, nen);
				inserted = 1;
			}
			ranges_push(&out, r->b.p, r->b.n, r->e.p, r->e.n);
		} else {
			if (bytes_cmp(r->b.p, r->b.n, nb, nbn) < 0) {
				free(nb);
				nb = bytes_dup(r->b.p, r->b.n);
				nbn = r->b.n;
			}
			if (bytes_cmp(r->e.p, r->e.n, ne, nen) > 0) {
				free(ne);
				ne = bytes_dup(r->e.p, r->e.n);
				nen = r->e.n;
			}
		}
	}
	if (!inserted) ranges_push(&out, nb, nbn, ne, nen);
	free(nb);
	free(ne);
	ranges_free(&tr->clears);
	tr->clears = out;
}

static int unreadable_meets(FDBTransaction* tr, const uint8_t* b, int bn, const uint8_t* e, int en) {
	range_t q = { { (uint8_t*)b, bn }, { (uint8_t*)e, en } };
	for (int i = 0; i < tr->unreadable.n; i++)
		if (range_intersects(&tr->unreadable.v[i], &q)) return 1;
	return 0;
}

static int unreadable_key(FDBTransaction* tr, const uint8_t* k, int kn) {
	int an;
	uint8_t* a = key_after(k, kn, &an);
	int r = unreadable_meets(tr, k, kn, a, an);
	free(a);
	return r;
}

/* ---- the transaction's view: database at the read version + its own writes ---- */

static int use_overlay(FDBTransaction* tr, int snapshot) {
	return !tr->ryw_disabled && !(snapshot && tr->snapshot_ryw_disabled);
}

/* Value of a point the transaction wrote. Returns 1 present, 0 absent, -1036 unreadable.
 * *out is malloc'd when present. */
static int point_value(FDBTransaction* tr, snode* pn, uint8_t** out, int* outn) {
	point_t* p = pn->val;
	if (p->unreadable) return -E_ACCESSED_UNREADABLE;
	if (p->independent) {
		if (!p->present) return 0;
		*out = bytes_dup(p->val, p->vlen);
		*outn = p->vlen;
		return 1;
	}
	const ventry* base = store_get(pn->key, pn->klen, tr->rv);
	int present = base != NULL;
	uint8_t* cur = present ? bytes_dup(base->val, base->len) : NULL;
	int curn = present ? base->len : 0;
	for (op_t* o = p->ops; o; o = o->next) {
		uint8_t* next = NULL;
		int nextn = 0;
		present = atomic_apply(o->type, present, cur, curn, o->p, o->n, &next, &nextn);
		free(cur);
		cur = next;
		curn = nextn;
	}
	if (!present) {
		free(cur);
		return 0;
	}
	*out = cur;
	*outn = curn;
	return 1;
}

/* Single-key read. Returns 1/0 (present/absent) or a negative error; *conflict says whether the
 * read depends on the database (FoundationDB adds no read conflict for keys the transaction set). */
static int view_get(FDBTransaction* tr, int snapshot, const uint8_t* k, int kn, uint8_t** out, int* outn, int* conflict) {
	*conflict = 1;
	if (use_overlay(tr, snapshot)) {
		if (unreadable_key(tr, k, kn)) return -E_ACCESSED_UNREADABLE;
		snode* pn = sl_find(&tr->points, k, kn);
		if (pn) {
			point_t* p = pn->val;
			*conflict = !p->independent;
			return point_value(tr, pn, out, outn);
		}
		if (clear_containing(tr, k, kn) >= 0) {
			*conflict = 0;
			return 0;
		}
	}
	const ventry* e = store_get(k, kn, tr->rv);
	if (!e) return 0;
	*out = bytes_dup(e->val, e->len);
	*outn = e->len;
	return 1;
}

typedef struct {
	uint8_t* key;
	int kn;
	uint8_t* val;
	int vn;
} found_t;

static void found_free(found_t* f) {
	free(f->key);
	free(f->val);
	f->key = f->val = NULL;
}

/* Next visible key after (or at, when inclusive) k and below end (NULL: no bound).
 * Returns 1 found, 0 none, or a negative error. */
static int view_next(FDBTransaction* tr, int snapshot, const uint8_t* k, int kn, int inclusive, const uint8_t* end, int en,
                     found_t* out) {
	int overlay = use_overlay(tr, snapshot);
	uint8_t* cur = bytes_dup(k, kn);
	int curn = kn;
	int incl = inclusive;
	for (;;) {
		snode* s = store_next_visible(sl_seek(&g_store, cur, curn, incl), tr->rv, end, en);
		snode* p = overlay ? sl_seek(&tr->points, cur, curn, incl) : NULL;
		if (p && end && bytes_cmp(p->key, p->klen, end, en) >= 0) p = NULL;
		if (!s && !p) {
			free(cur);
			return 0;
		}
		if (p && (!s || bytes_cmp(p->key, p->klen, s->key, s->klen) <= 0)) {
			uint8_t* v = NULL;
			int vn = 0;
			int r = point_value(tr, p, &v, &vn);
			if (r < 0) {
				free(cur);
				return r;
			}
			if (r == 1) {
				free(cur);
				out->key = bytes_dup(p->key, p->klen);
				out->kn = p->klen;
				out->val = v;
				out->vn = vn;
				return 1;
			}
			free(cur);
			cur = bytes_dup(p->key, p->klen);
			curn = p->klen;
			incl = 0;
			continue;
		}
		int ci = overlay ? clear_containing(tr, s->key, s->klen) : -1;
		if (ci >= 0) {
			/* skip what this transaction cleared, but not the keys it wrote there afterwards */
			range_t* r = &tr->clears.v[ci];
			int to_point = p && bytes_cmp(p->key, p->klen, r->e.p, r->e.n) < 0;
			free(cur);
			cur = to_point ? bytes_dup(p->key, p->klen) : bytes_dup(r->e.p, r->e.n);
			curn = to_point ? p->klen : r->e.n;
			incl = 1;
			continue;
		}
		const ventry* e = store_at(s, tr->rv);
		free(cur);
		out->key = bytes_dup(s->key, s->klen);
		out->kn = s->klen;
		out->val = bytes_dup(e->val, e->len);
		out->vn = e->len;
		return 1;
	}
}

/* Previous visible key before (or at, when inclusive) k and at or above begin (NULL: no bound). */
static int view_prev(FDBTransaction* tr, int snapshot, const uint8_t* k, int kn, int inclusive, const uint8_t* begin, int bn,
                     found_t* out) {
	int overlay = use_overlay(tr, snapshot);
	uint8_t* cur = bytes_dup(k, kn);
	int curn = kn;
	int incl = inclusive;
	for (;;) {
		snode* s = store_prev_visible(sl_seek_back(&g_store, cur, curn, incl), tr->rv, begin, bn);
		snode* p = overlay ? sl_seek_back(&tr->points, cur, curn, incl) : NULL;
		if (p && begin && bytes_cmp(p->key, p->klen, begin, bn) < 0) p = NULL;
		if (!s && !p) {
			free(cur);
			return 0;
		}
		if (p && (!s || bytes_cmp(p->key, p->klen, s->key, s->klen) >= 0)) {
			uint8_t* v = NULL;
			int vn = 0;
			int r = point_value(tr, p, &v, &vn);
			if (r < 0) {
				free(cur);
				return r;
			}
			if (r == 1) {
				free(cur);
				out->key = bytes_dup(p->key, p->klen);
				out->kn = p->klen;
				out->val = v;
				out->vn = vn;
				return 1;
			}
			free(cur);
			cur = bytes_dup(p->key, p->klen);
			curn = p->klen;
			incl = 0;
			continue;
		}
		int ci = overlay ? clear_containing(tr, s->key, s->klen) : -1;
		if (ci >= 0) {
			range_t* r = &tr->clears.v[ci];
			int to_point = p && bytes_cmp(p->key, p->klen, r->b.p, r->b.n) >= 0;
			free(cur);
			cur = to_point ? bytes_dup(p->key, p->klen) : bytes_dup(r->b.p, r->b.n);
			curn = to_point ? p->klen : r->b.n;
			incl = to_point;
			continue;
		}
		const ventry* e = store_at(s, tr->rv);
		free(cur);
		out->key = bytes_dup(s->key, s->klen);
		out->kn = s->klen;
		out->val = bytes_dup(e->val, e->len);
		out->vn = e->len;
		return 1;
	}
}

/* Resolves a key selector (key, or_equal, offset) to a key in the transaction's view:
 * offset >= 1 walks forward from the first key >= k (> k with or_equal), offset <= 0 walks
 * back from the last key < k (<= k with or_equal). Past the end it is the max key
 * ("\xff"), before the start the empty key, as in FoundationDB. */
static int resolve_selector(FDBTransaction* tr, int snapshot, const uint8_t* k, int kn, int or_equal, int offset, uint8_t** out,
                            int* outn) {
	const uint8_t* mk;
	int mkn = max_read_key(tr, &mk);
	found_t f = { 0 };
	int r;
	if (offset >= 1) {
		r = view_next(tr, snapshot, k, kn, !or_equal, mk, mkn, &f);
		for (int i = 1; i < offset && r == 1; i++) {
			found_t g = { 0 };
			r = view_next(tr, snapshot, f.key, f.kn, 0, mk, mkn, &g);
			found_free(&f);
			f = g;
		}
		if (r < 0) return r;
		if (r == 0) {
			*out = bytes_dup(mk, mkn);
			*outn = mkn;
			return 0;
		}
	} else {
		r = view_prev(tr, snapshot, k, kn, or_equal, NULL, 0, &f);
		for (int i = 0; i < -offset && r == 1; i++) {
			found_t g = { 0 };
			r = view_prev(tr, snapshot, f.key, f.kn, 0, NULL, 0, &g);
			found_free(&f);
			f = g;
		}
		if (r < 0) return r;
		if (r == 0) {
			*out = bytes_dup(NULL, 0);
			*outn = 0;
			return 0;
		}
	}
	free(f.val);
	if (bytes_cmp(f.key, f.kn, mk, mkn) > 0) {
		free(f.key);
		*out = bytes_dup(mk, mkn);
		*outn = mkn;
		return 0;
	}
	*out = f.key;
	*outn = f.kn;
	return 0;
}

/* ---- watches ---- */

static void db_unref_locked(FDBDatabase* d);

/* Ends a watch: publishes f with err (0 = fired) and frees the bookkeeping. */
static void watch_finish(watch_t* w, fdb_error_t err) {
	FDBFuture* f = w->f;
	f->watch = NULL;
	f->err = err;
	if (!err) g_stats[FDB_SIM_STAT_WATCHES_FIRED]++;
	future_schedule(f, 0);
	future_unref_locked(f); /* the list's reference */
	w->db->watch_count--;
	db_unref_locked(w->db);
	free(w->key.p);
	free(w->value.p);
	free(w);
}

/* Pending watches point back to their transaction through this table (few live at once). */
typedef struct owner_link {
	watch_t* w;
	FDBTransaction* tr;
	struct owner_link* next;
} owner_link;
static owner_link* g_owners = NULL;

static void owner_set(watch_t* w, FDBTransaction* tr) {
	owner_link* l = xcalloc(1, sizeof(owner_link));
	l->w = w;
	l->tr = tr;
	l->next = g_owners;
	g_owners = l;
}

static FDBTransaction* owner_take(watch_t* w) {
	for (owner_link** l = &g_owners; *l; l = &(*l)->next) {
		if ((*l)->w == w) {
			owner_link* x = *l;
			FDBTransaction* tr = x->tr;
			*l = x->next;
			free(x);
			return tr;
		}
	}
	return NULL;
}

static watch_t** watch_list_of(watch_t* w, FDBTransaction** owner_out) {
	FDBTransaction* tr = owner_take(w);
	*owner_out = tr;
	return tr ? &tr->watches : &g_watches;
}

static void unlink_watch(watch_t** list, watch_t* w) {
	for (watch_t** l = list; *l; l = &(*l)->next) {
		if (*l == w) {
			*l = w->next;
			return;
		}
	}
}

/* Cancelled or destroyed watch future: leave the lists without publishing. */
void watch_detach_locked(watch_t* w) {
	FDBTransaction* owner;
	watch_t** list = watch_list_of(w, &owner);
	unlink_watch(list, w);
	FDBFuture* f = w->f;
	f->watch = NULL;
	future_unref_locked(f);
	w->db->watch_count--;
	db_unref_locked(w->db);
	free(w->key.p);
	free(w->value.p);
	free(w);
}

static int watch_changed(watch_t* w) {
	const ventry* e = store_get(w->key.p, w->key.n, g_version);
	if (!e != !w->present) return 1;
	return e && bytes_cmp(e->val, e->len, w->value.p, w->value.n) != 0;
}

void watches_on_commit(void) {
	watch_t** l = &g_watches;
	while (*l) {
		watch_t* w = *l;
		if (watch_changed(w)) {
			*l = w->next;
			watch_finish(w, 0);
		} else {
			l = &w->next;
		}
	}
}

/* The attempt's watches: registered after a successful commit, failed otherwise. */
static void settle_watches(FDBTransaction* tr, fdb_error_t err) {
	watch_t* w = tr->watches;
	tr->watches = NULL;
	while (w) {
		watch_t* next = w->next;
		owner_take(w);
		if (err) {
			watch_finish(w, err);
		} else if (watch_changed(w)) {
			watch_finish(w, 0); /* its own transaction changed the value: fires at once */
		} else {
			w->registered = 1;
			w->next = g_watches;
			g_watches = w;
		}
		w = next;
	}
}

static void settle_versionstamps(FDBTransaction* tr, fdb_error_t err) {
	for (int i = 0; i < tr->nvs; i++) {
		FDBFuture* f = tr->vs[i];
		if (err) {
			f->err = err;
		} else {
			f->data = bytes_dup(tr->vstamp, 10);
			f->len = 10;
		}
		future_schedule(f, 0);
		future_unref_locked(f); /* the transaction's reference */
	}
	tr->nvs = 0;
}

/* ---- attempt state ---- */

static void clear_attempt(FDBTransaction* tr, fdb_error_t pending_err) {
	settle_watches(tr, pending_err);
	settle_versionstamps(tr, pending_err);
	for (int i = 0; i < tr->nmuts; i++) {
		free(tr->muts[i].k.p);
		free(tr->muts[i].p.p);
	}
	free(tr->muts);
	tr->muts = NULL;
	tr->nmuts = tr->capmuts = 0;
	tr->mut_bytes = tr->conflict_bytes = 0;
	sl_clear(&tr->points, free_point);
	ranges_free(&tr->clears);
	ranges_free(&tr->unreadable);
	ranges_free(&tr->reads);
	ranges_free(&tr->writes);
	tr->has_rv = 0;
	tr->rv = tr->rv_time = 0;
	tr->committed = 0;
	tr->committed_version = -1;
	tr->read_only_commit = 0;
	tr->deferred_err = 0;
	tr->cancelled_err = 0;
	/* options that FoundationDB resets on every retry */
	tr->ryw_disabled = 0;
	tr->snapshot_ryw_disabled = tr->db->snapshot_ryw_disabled;
	tr->access_system = tr->read_system = tr->next_write_no_conflict = 0;
}

static void apply_db_defaults(FDBTransaction* tr) {
	FDBDatabase* d = tr->db;
	tr->timeout_ms = d->timeout_ms;
	tr->retry_limit = d->retry_limit;
	tr->max_retry_delay_ms = d->max_retry_delay_ms;
	tr->size_limit = d->size_limit;
	tr->automatic_idempotency = d->automatic_idempotency;
	tr->created_ns = now_ns();
	tr->retries = 0;
	tr->backoff_s = DEFAULT_BACKOFF_S;
}

/* ---- database ---- */

static int file_exists(const char* p) {
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* desc:id@host:port[,host:port...] with optional ":tls" suffixes; comments (#) allowed. */
static int cluster_string_valid(const char* path) {
	FILE* fp = fopen(path, "r");
	if (!fp) return 0;
	char buf[4096];
	int ok = 0;
	while (fgets(buf, sizeof(buf), fp)) {
		char* s = buf;
		while (*s == ' ' || *s == '\t') s++;
		if (*s == '#' || *s == '\n' || *s == 0) continue;
		char* colon = strchr(s, ':');
		char* at = strchr(s, '@');
		ok = colon && at && colon < at && colon > s && at > colon + 1 && strchr(at, ':') != NULL;
		break;
	}
	fclose(fp);
	return ok;
}

fdb_error_t fdb_create_database(const char* cluster_file_path, FDBDatabase** out_database) {
	pthread_mutex_lock(&sim_lock);
	int setup = g_network_setup;
	int strict = g_cfg.strict_cluster_file;
	pthread_mutex_unlock(&sim_lock);
	if (!setup) return E_NETWORK_NOT_SETUP;
	/* FoundationDB's lookup: explicit path, FDB_CLUSTER_FILE, ./fdb.cluster, the system default */
	const char* path = cluster_file_path;
	if (!path || !*path) {
		const char* env = getenv("FDB_CLUSTER_FILE");
		if (env && *env)
			path = env;
		else if (file_exists("fdb.cluster"))
			path = "fdb.cluster";
		else
			path = "/etc/foundationdb/fdb.cluster";
	}
	if (!file_exists(path)) return E_NO_CLUSTER_FILE_FOUND;
	if (strict && !cluster_string_valid(path)) return E_CONNECTION_STRING_INVALID;
	FDBDatabase* d = xcalloc(1, sizeof(FDBDatabase));
	d->refs = 1;
	d->client = 1;
	d->retry_limit = -1;
	d->max_retry_delay_ms = 1000;
	d->size_limit = TRANSACTION_SIZE_LIMIT;
	d->max_watches = DEFAULT_MAX_WATCHES;
	pthread_mutex_lock(&sim_lock);
	g_stats[FDB_SIM_STAT_LIVE_DATABASES]++;
	pthread_mutex_unlock(&sim_lock);
	*out_database = d;
	return 0;
}

static void db_unref_locked(FDBDatabase* d) {
	if (--d->refs == 0) free(d);
}

void fdb_database_destroy(FDBDatabase* d) {
	if (!d) return;
	pthread_mutex_lock(&sim_lock);
	if (d->client) {
		d->client = 0;
		g_stats[FDB_SIM_STAT_LIVE_DATABASES]--;
		db_unref_locked(d);
	}
	pthread_mutex_unlock(&sim_lock);
}

static fdb_error_t int_option(uint8_t const* value, int value_length, int64_t* out) {
	if (!value || value_length != 8) return E_INVALID_OPTION_VALUE;
	memcpy(out, value, 8); /* little-endian int64, as FoundationDB passes Int options */
	return 0;
}

fdb_error_t fdb_database_set_option(FDBDatabase* d, int option, uint8_t const* value, int value_length) {
	int64_t v = 0;
	fdb_error_t e = 0;
	pthread_mutex_lock(&sim_lock);
	switch (option) {
	case FDB_SIM_DB_OPTION_MAX_WATCHES:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 0 || v > 1000000)
				e = E_INVALID_OPTION_VALUE;
			else
				d->max_watches = v;
		}
		break;
	case FDB_SIM_DB_OPTION_SNAPSHOT_RYW_ENABLE:
		d->snapshot_ryw_disabled = 0;
		break;
	case FDB_SIM_DB_OPTION_SNAPSHOT_RYW_DISABLE:
		d->snapshot_ryw_disabled = 1;
		break;
	case FDB_SIM_DB_OPTION_TRANSACTION_TIMEOUT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 0)
				e = E_INVALID_OPTION_VALUE;
			else
				d->timeout_ms = v;
		}
		break;
	case FDB_SIM_DB_OPTION_TRANSACTION_RETRY_LIMIT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < -1 || v > 2147483647)
				e = E_INVALID_OPTION_VALUE;
			else
				d->retry_limit = v;
		}
		break;
	case FDB_SIM_DB_OPTION_TRANSACTION_MAX_RETRY_DELAY:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 0)
				e = E_INVALID_OPTION_VALUE;
			else
				d->max_retry_delay_ms = v;
		}
		break;
	case FDB_SIM_DB_OPTION_TRANSACTION_SIZE_LIMIT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 32 || v > TRANSACTION_SIZE_LIMIT)
				e = E_INVALID_OPTION_VALUE;
			else
				d->size_limit = v;
		}
		break;
	case FDB_SIM_DB_OPTION_TRANSACTION_AUTOMATIC_IDEMPOTENCY:
		d->automatic_idempotency = 1;
		break;
	default:
		break; /* location cache, machine id, datacenter...: accepted, nothing to model */
	}
	pthread_mutex_unlock(&sim_lock);
	return e;
}

fdb_error_t fdb_database_create_transaction(FDBDatabase* d, FDBTransaction** out_transaction) {
	FDBTransaction* tr = xcalloc(1, sizeof(FDBTransaction));
	pthread_mutex_lock(&sim_lock);
	tr->db = d;
	d->refs++;
	sl_init(&tr->points);
	apply_db_defaults(tr);
	tr->snapshot_ryw_disabled = d->snapshot_ryw_disabled;
	tr->committed_version = -1;
	g_stats[FDB_SIM_STAT_LIVE_TRANSACTIONS]++;
	pthread_mutex_unlock(&sim_lock);
	*out_transaction = tr;
	return 0;
}

/* ---- transaction lifecycle ---- */

void fdb_transaction_destroy(FDBTransaction* tr) {
	if (!tr) return;
	pthread_mutex_lock(&sim_lock);
	clear_attempt(tr, E_TRANSACTION_CANCELLED);
	free(tr->points.head);
	free(tr->vs);
	g_stats[FDB_SIM_STAT_LIVE_TRANSACTIONS]--;
	db_unref_locked(tr->db);
	pthread_mutex_unlock(&sim_lock);
	free(tr);
}

void fdb_transaction_cancel(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	settle_watches(tr, E_TRANSACTION_CANCELLED);
	settle_versionstamps(tr, E_TRANSACTION_CANCELLED);
	tr->cancelled_err = E_TRANSACTION_CANCELLED;
	pthread_mutex_unlock(&sim_lock);
}

void fdb_transaction_reset(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	clear_attempt(tr, E_TRANSACTION_CANCELLED);
	apply_db_defaults(tr);
	pthread_mutex_unlock(&sim_lock);
}

fdb_error_t fdb_transaction_set_option(FDBTransaction* tr, int option, uint8_t const* value, int value_length) {
	int64_t v = 0;
	fdb_error_t e = 0;
	pthread_mutex_lock(&sim_lock);
	switch (option) {
	case FDB_SIM_TR_OPTION_NEXT_WRITE_NO_WRITE_CONFLICT_RANGE:
		tr->next_write_no_conflict = 1;
		break;
	case FDB_SIM_TR_OPTION_READ_YOUR_WRITES_DISABLE:
		/* only before the first read or write, as in FoundationDB */
		if (tr->has_rv || tr->nmuts > 0)
			e = E_CLIENT_INVALID_OPERATION;
		else
			tr->ryw_disabled = 1;
		break;
	case FDB_SIM_TR_OPTION_ACCESS_SYSTEM_KEYS:
		tr->access_system = 1;
		break;
	case FDB_SIM_TR_OPTION_READ_SYSTEM_KEYS:
		tr->read_system = 1;
		break;
	case FDB_SIM_TR_OPTION_TIMEOUT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 0)
				e = E_INVALID_OPTION_VALUE;
			else
				tr->timeout_ms = v;
		}
		break;
	case FDB_SIM_TR_OPTION_RETRY_LIMIT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < -1 || v > 2147483647)
				e = E_INVALID_OPTION_VALUE;
			else
				tr->retry_limit = v;
		}
		break;
	case FDB_SIM_TR_OPTION_MAX_RETRY_DELAY:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 0)
				e = E_INVALID_OPTION_VALUE;
			else
				tr->max_retry_delay_ms = v;
		}
		break;
	case FDB_SIM_TR_OPTION_SIZE_LIMIT:
		if (!(e = int_option(value, value_length, &v))) {
			if (v < 32 || v > TRANSACTION_SIZE_LIMIT)
				e = E_INVALID_OPTION_VALUE;
			else
				tr->size_limit = v;
		}
		break;
	case FDB_SIM_TR_OPTION_AUTOMATIC_IDEMPOTENCY:
		tr->automatic_idempotency = 1;
		break;
	case FDB_SIM_TR_OPTION_SNAPSHOT_RYW_ENABLE:
		tr->snapshot_ryw_disabled = 0;
		break;
	case FDB_SIM_TR_OPTION_SNAPSHOT_RYW_DISABLE:
		tr->snapshot_ryw_disabled = 1;
		break;
	default:
		break; /* priority_batch, tags, lock_aware, tracing...: accepted, nothing to model */
	}
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* ---- reads ---- */

void fdb_transaction_set_read_version(FDBTransaction* tr, int64_t version) {
	pthread_mutex_lock(&sim_lock);
	if (version <= 0)
		set_deferred(tr, E_VERSION_INVALID);
	else if (tr->has_rv)
		set_deferred(tr, E_READ_VERSION_ALREADY_SET);
	else {
		tr->has_rv = 1;
		tr->rv = version;
		tr->rv_time = now_ns();
	}
	pthread_mutex_unlock(&sim_lock);
}

/* Errors every read reports first, in FoundationDB's order; 0 when the read may proceed. */
static fdb_error_t read_precheck(FDBTransaction* tr) {
	fdb_error_t e = sticky_error(tr);
	if (!e) e = tr->deferred_err;
	if (!e && !g_cfg.unreachable) e = ensure_read_version(tr);
	return e;
}

FDBFuture* fdb_transaction_get_read_version(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_INT64);
	fdb_error_t e = sticky_error(tr);
	if (!e && !g_cfg.unreachable) e = ensure_read_version(tr);
	f->err = e;
	f->i64 = tr->rv;
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

FDBFuture* fdb_transaction_get(FDBTransaction* tr, uint8_t const* key_name, int key_name_length, fdb_bool_t snapshot) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_VALUE);
	const uint8_t* mk;
	int mkn = max_read_key(tr, &mk);
	fdb_error_t e = read_precheck(tr);
	if (!e && bytes_cmp(key_name, key_name_length, mk, mkn) >= 0) e = E_KEY_OUTSIDE_LEGAL_RANGE;
	if (!e) e = injected_read_fault();
	if (!e && !g_cfg.unreachable && key_name_length <= key_size_limit(key_name, key_name_length)) {
		/* keys longer than the limit cannot exist: absent, without a conflict range */
		uint8_t* v = NULL;
		int vn = 0, conflict = 0;
		int r = view_get(tr, snapshot, key_name, key_name_length, &v, &vn, &conflict);
		if (r < 0) {
			e = -r;
		} else {
			f->present = r;
			f->data = v;
			f->len = vn;
			if (!snapshot && conflict) add_read_conflict_key(tr, key_name, key_name_length);
		}
	}
	f->err = e;
	if (e) future_free_results(f);
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

FDBFuture* fdb_transaction_get_key(FDBTransaction* tr,
                                   uint8_t const* key_name,
                                   int key_name_length,
                                   fdb_bool_t or_equal,
                                   int offset,
                                   fdb_bool_t snapshot) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_KEY);
	const uint8_t* mk;
	int mkn = max_read_key(tr, &mk);
	fdb_error_t e = read_precheck(tr);
	if (!e && bytes_cmp(key_name, key_name_length, mk, mkn) > 0) e = E_KEY_OUTSIDE_LEGAL_RANGE;
	if (!e) e = injected_read_fault();
	if (!e && !g_cfg.unreachable) {
		uint8_t* k = NULL;
		int kn = 0;
		int r = resolve_selector(tr, snapshot, key_name, key_name_length, or_equal, offset, &k, &kn);
		if (r < 0) {
			e = -r;
		} else {
			f->data = k;
			f->len = kn;
			if (!snapshot) {
				/* the answer depends on every key between the selector's key and the result */
				int lo = bytes_cmp(k, kn, key_name, key_name_length) < 0;
				const uint8_t* b = lo ? k : key_name;
				int bn = lo ? kn : key_name_length;
				const uint8_t* top = lo ? key_name : k;
				int topn = lo ? key_name_length : kn;
				int an;
				uint8_t* a = key_after(top, topn, &an);
				add_read_conflict(tr, b, bn, a, an);
				free(a);
			}
		}
	}
	f->err = e;
	if (e) future_free_results(f);
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

FDBFuture* fdb_transaction_get_addresses_for_key(FDBTransaction* tr, uint8_t const* key_name, int key_name_length) {
	(void)key_name;
	(void)key_name_length;
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_STRINGS);
	static const char ADDRESS[] = "127.0.0.1:4500";
	/* one arena: the pointer array, then the string */
	char** arr = xmalloc(sizeof(char*) + sizeof(ADDRESS));
	char* s = (char*)(arr + 1);
	memcpy(s, ADDRESS, sizeof(ADDRESS));
	arr[0] = s;
	f->array = arr;
	f->count = 1;
	f->err = sticky_error(tr);
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* Byte limit of one batch, as fdb_c derives it from the streaming mode and iteration. */
static int mode_byte_limit(int mode, int iteration, int target_bytes, fdb_error_t* err) {
	static const int MODE_BYTES[] = { -1, 256, 1000, 4096, 80000 };
	static const int ITERATION_BYTES[] = { 4096, 6144, 9216, 13824, 20736, 31104, 46656, 69984, 80000, 120000 };
	int mode_bytes;
	*err = 0;
	if (mode == FDB_SIM_STREAMING_MODE_WANT_ALL) mode = FDB_SIM_STREAMING_MODE_SERIAL;
	if (mode == FDB_SIM_STREAMING_MODE_ITERATOR) {
		if (iteration <= 0) {
			*err = E_CLIENT_INVALID_OPERATION;
			return 0;
		}
		if (iteration > 10) iteration = 10;
		mode_bytes = ITERATION_BYTES[iteration - 1];
	} else if (mode >= 0 && mode <= FDB_SIM_STREAMING_MODE_SERIAL) {
		mode_bytes = MODE_BYTES[mode];
	} else {
		*err = E_CLIENT_INVALID_OPERATION;
		return 0;
	}
	if (target_bytes <= 0) return mode_bytes;
	if (mode_bytes < 0) return target_bytes;
	return target_bytes < mode_bytes ? target_bytes : mode_bytes;
}

typedef struct {
	found_t* rows;
	int n, cap;
	int64_t bytes;
} rowbuf;

static void rows_push(rowbuf* b, found_t f) {
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->rows = xrealloc(b->rows, sizeof(found_t) * (size_t)b->cap);
	}
	b->rows[b->n++] = f;
	b->bytes += f.kn + f.vn;
}

/* Packs rows into the future: FDBKeyValue[] (24-byte stride) pointing into one data buffer. */
static void rows_to_future(rowbuf* b, FDBFuture* f) {
	size_t total = 0;
	for (int i = 0; i < b->n; i++) total += (size_t)b->rows[i].kn + (size_t)b->rows[i].vn;
	FDBKeyValue* kv = xcalloc((size_t)(b->n ? b->n : 1), sizeof(FDBKeyValue));
	uint8_t* data = xmalloc(total + 1);
	size_t off = 0;
	for (int i = 0; i < b->n; i++) {
		found_t* r = &b->rows[i];
		if (r->kn) memcpy(data + off, r->key, (size_t)r->kn);
		kv[i].key = data + off;
		kv[i].key_length = r->kn;
		off += (size_t)r->kn;
		if (r->vn) memcpy(data + off, r->val, (size_t)r->vn);
		kv[i].value = data + off;
		kv[i].value_length = r->vn;
		off += (size_t)r->vn;
	}
	f->array = kv;
	f->data = data;
	f->count = b->n;
}

static void rows_free(rowbuf* b) {
	for (int i = 0; i < b->n; i++) found_free(&b->rows[i]);
	free(b->rows);
}

FDBFuture* fdb_transaction_get_range(FDBTransaction* tr,
                                     uint8_t const* begin_key_name,
                                     int begin_key_name_length,
                                     fdb_bool_t begin_or_equal,
                                     int begin_offset,
                                     uint8_t const* end_key_name,
                                     int end_key_name_length,
                                     fdb_bool_t end_or_equal,
                                     int end_offset,
                                     int limit,
                                     int target_bytes,
                                     int mode,
                                     int iteration,
                                     fdb_bool_t snapshot,
                                     fdb_bool_t reverse) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_KV);
	const uint8_t* mk;
	int mkn = max_read_key(tr, &mk);
	fdb_error_t e = 0;
	int byte_limit = mode_byte_limit(mode, iteration, target_bytes, &e);
	if (!e && (limit < 0 || target_bytes < 0)) e = E_RANGE_LIMITS_INVALID;
	if (!e && mode == FDB_SIM_STREAMING_MODE_EXACT && limit == 0) e = E_EXACT_MODE_WITHOUT_LIMITS;
	if (!e) e = read_precheck(tr);
	if (!e && (bytes_cmp(begin_key_name, begin_key_name_length, mk, mkn) > 0 ||
	           bytes_cmp(end_key_name, end_key_name_length, mk, mkn) > 0))
		e = E_KEY_OUTSIDE_LEGAL_RANGE;
	if (!e) e = injected_read_fault();
	if (!e && g_cfg.unreachable) {
		publish(tr, f);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	uint8_t *b = NULL, *en = NULL;
	int bn = 0, enn = 0;
	rowbuf rows = { 0 };
	int more = 0;
	if (!e) {
		int r = resolve_selector(tr, snapshot, begin_key_name, begin_key_name_length, begin_or_equal, begin_offset, &b, &bn);
		if (r == 0) r = resolve_selector(tr, snapshot, end_key_name, end_key_name_length, end_or_equal, end_offset, &en, &enn);
		if (r < 0) e = -r;
	}
	if (!e && bytes_cmp(b, bn, en, enn) < 0) {
		int row_limit = limit > 0 ? limit : 0x7fffffff;
		found_t cur = { 0 };
		int r;
		if (!reverse)
			r = view_next(tr, snapshot, b, bn, 1, en, enn, &cur);
		else
			r = view_prev(tr, snapshot, en, enn, 0, b, bn, &cur);
		while (r == 1) {
			rows_push(&rows, cur);
			found_t last = cur;
			if (rows.n >= row_limit || (byte_limit >= 0 && rows.bytes >= byte_limit)) {
				/* "more" only when another row exists, so a caller never pages into nothing */
				found_t peek = { 0 };
				int p = !reverse ? view_next(tr, snapshot, last.key, last.kn, 0, en, enn, &peek)
				                 : view_prev(tr, snapshot, last.key, last.kn, 0, b, bn, &peek);
				if (p < 0) r = p;
				more = p == 1;
				found_free(&peek);
				break;
			}
			memset(&cur, 0, sizeof(cur));
			r = !reverse ? view_next(tr, snapshot, last.key, last.kn, 0, en, enn, &cur)
			             : view_prev(tr, snapshot, last.key, last.kn, 0, b, bn, &cur);
		}
		if (r < 0) e = -r;
	}
	if (!e && use_overlay(tr, snapshot)) {
		/* a range read that meets a versionstamped key not yet committed fails, as in FoundationDB */
		const uint8_t *sb = b, *se = en;
		int sbn = bn, sen = enn;
		uint8_t* tmp = NULL;
		if (more && rows.n > 0) {
			found_t* last = &rows.rows[rows.n - 1];
			if (!reverse) {
				tmp = key_after(last->key, last->kn, &sen);
				se = tmp;
			} else {
				sb = last->key;
				sbn = last->kn;
			}
		}
		if (unreadable_meets(tr, sb, sbn, se, sen)) e = E_ACCESSED_UNREADABLE;
		free(tmp);
	}
	if (!e && !snapshot) {
		/* the whole range, phantoms included; a read cut short by a limit only up to its last row */
		const uint8_t* cb = bytes_cmp(begin_key_name, begin_key_name_length, b, bn) < 0 ? begin_key_name : b;
		int cbn = cb == b ? bn : begin_key_name_length;
		/* the end: a firstGreaterOrEqual / firstGreaterThan selector bounds the result by its own key
		 * (keys between it and the next existing key cannot change the rows); other selectors
		 * depend on every key up to the one they resolved to */
		const uint8_t* ce;
		int cen;
		uint8_t* tmp = NULL;
		if (end_offset == 1) {
			if (end_or_equal) {
				tmp = key_after(end_key_name, end_key_name_length, &cen);
				ce = tmp;
			} else {
				ce = end_key_name;
				cen = end_key_name_length;
			}
		} else {
			int hi = bytes_cmp(end_key_name, end_key_name_length, en, enn) > 0;
			tmp = key_after(hi ? end_key_name : en, hi ? end_key_name_length : enn, &cen);
			ce = tmp;
		}
		if (more && rows.n > 0) {
			found_t* last = &rows.rows[rows.n - 1];
			if (!reverse) {
				free(tmp);
				tmp = key_after(last->key, last->kn, &cen);
				ce = tmp;
			} else {
				cb = last->key;
				cbn = last->kn;
			}
		}
		add_read_conflict(tr, cb, cbn, ce, cen);
		free(tmp);
	}
	if (!e) {
		rows_to_future(&rows, f);
		f->more = more;
	}
	rows_free(&rows);
	free(b);
	free(en);
	f->err = e;
	if (e) future_free_results(f);
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* ---- writes ---- */

static int write_blocked(FDBTransaction* tr) {
	/* a cancelled or timed-out transaction drops writes: its commit fails anyway */
	if (sticky_error(tr)) return 1;
	if (tr->committed) {
		/* writes after a commit would be lost: say so at the next commit */
		set_deferred(tr, E_USED_DURING_COMMIT);
		return 1;
	}
	return 0;
}

void fdb_transaction_set(FDBTransaction* tr, uint8_t const* key_name, int key_name_length, uint8_t const* value, int value_length) {
	pthread_mutex_lock(&sim_lock);
	const uint8_t* mw;
	int mwn = max_write_key(tr, &mw);
	if (write_blocked(tr)) {
	} else if (bytes_cmp(key_name, key_name_length, mw, mwn) >= 0) {
		set_deferred(tr, E_KEY_OUTSIDE_LEGAL_RANGE);
	} else if (key_name_length > key_size_limit(key_name, key_name_length)) {
		set_deferred(tr, E_KEY_TOO_LARGE);
	} else if (value_length > VALUE_SIZE_LIMIT) {
		set_deferred(tr, E_VALUE_TOO_LARGE);
	} else {
		push_mut(tr, M_SET, key_name, key_name_length, value, value_length);
		snode* n = sl_upsert(&tr->points, key_name, key_name_length);
		if (n->val) free_point(n->val);
		point_t* p = xcalloc(1, sizeof(point_t));
		p->independent = 1;
		p->present = 1;
		p->val = bytes_dup(value, value_length);
		p->vlen = value_length;
		n->val = p;
		add_write_conflict_key(tr, key_name, key_name_length);
	}
	pthread_mutex_unlock(&sim_lock);
}

static void clear_range_locked(FDBTransaction* tr, const uint8_t* b, int bn, const uint8_t* e, int en) {
	if (bytes_cmp(b, bn, e, en) >= 0) return;
	push_mut(tr, M_CLEAR_RANGE, b, bn, e, en);
	snode* n = sl_seek(&tr->points, b, bn, 1);
	while (n && bytes_cmp(n->key, n->klen, e, en) < 0) {
		snode* nx = sl_next(n);
		free_point(n->val);
		sl_remove(&tr->points, n);
		n = nx;
	}
	clears_add(tr, b, bn, e, en);
	add_write_conflict(tr, b, bn, e, en);
}

void fdb_transaction_clear(FDBTransaction* tr, uint8_t const* key_name, int key_name_length) {
	pthread_mutex_lock(&sim_lock);
	const uint8_t* mw;
	int mwn = max_write_key(tr, &mw);
	if (write_blocked(tr)) {
	} else if (bytes_cmp(key_name, key_name_length, mw, mwn) >= 0) {
		set_deferred(tr, E_KEY_OUTSIDE_LEGAL_RANGE);
	} else if (key_name_length <= key_size_limit(key_name, key_name_length)) {
		/* (a key over the limit cannot exist: clearing it does nothing) */
		int an;
		uint8_t* a = key_after(key_name, key_name_length, &an);
		clear_range_locked(tr, key_name, key_name_length, a, an);
		free(a);
	}
	pthread_mutex_unlock(&sim_lock);
}

void fdb_transaction_clear_range(FDBTransaction* tr,
                                 uint8_t const* begin_key_name,
                                 int begin_key_name_length,
                                 uint8_t const* end_key_name,
                                 int end_key_name_length) {
	pthread_mutex_lock(&sim_lock);
	const uint8_t* mw;
	int mwn = max_write_key(tr, &mw);
	if (write_blocked(tr)) {
	} else if (bytes_cmp(begin_key_name, begin_key_name_length, end_key_name, end_key_name_length) > 0) {
		set_deferred(tr, E_INVERTED_RANGE);
	} else if (bytes_cmp(begin_key_name, begin_key_name_length, mw, mwn) > 0 ||
	           bytes_cmp(end_key_name, end_key_name_length, mw, mwn) > 0) {
		set_deferred(tr, E_KEY_OUTSIDE_LEGAL_RANGE);
	} else {
		/* keys longer than the limit cannot exist: shorten the bounds as FoundationDB does */
		int bn = begin_key_name_length, en = end_key_name_length;
		if (bn > KEY_SIZE_LIMIT + 1) bn = KEY_SIZE_LIMIT + 1;
		if (en > KEY_SIZE_LIMIT + 1) en = KEY_SIZE_LIMIT + 1;
		clear_range_locked(tr, begin_key_name, bn, end_key_name, en);
	}
	pthread_mutex_unlock(&sim_lock);
}

/* The 10 versionstamp bytes of a SET_VERSIONSTAMPED_* argument: offset from the last 4 bytes. */
static int versionstamp_offset(const uint8_t* p, int n, int* off) {
	if (n < 4) return -1;
	int32_t o;
	memcpy(&o, p + n - 4, 4);
	if (o < 0 || o + 10 > n - 4) return -1;
	*off = o;
	return 0;
}

void fdb_transaction_atomic_op(FDBTransaction* tr,
                               uint8_t const* key_name,
                               int key_name_length,
                               uint8_t const* param,
                               int param_length,
                               int operation_type) {
	pthread_mutex_lock(&sim_lock);
	const uint8_t* mw;
	int mwn = max_write_key(tr, &mw);
	int op = operation_type;
	/* from API 510, BIT_AND and MIN store the operand on a missing key (their _V2 forms) */
	if (op == FDB_SIM_MUTATION_BIT_AND) op = M_AND_V2;
	if (op == FDB_SIM_MUTATION_MIN) op = M_MIN_V2;
	int off = 0;
	if (write_blocked(tr)) {
		goto done;
	}
	if (!atomic_is_known(op)) {
		set_deferred(tr, E_INVALID_MUTATION_TYPE);
		goto done;
	}
	if (op == FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY) {
		if (versionstamp_offset(key_name, key_name_length, &off)) {
			set_deferred(tr, E_CLIENT_INVALID_OPERATION);
			goto done;
		}
		int kn = key_name_length - 4;
		if (kn > KEY_SIZE_LIMIT) {
			set_deferred(tr, E_KEY_TOO_LARGE);
			goto done;
		}
		if (param_length > VALUE_SIZE_LIMIT) {
			set_deferred(tr, E_VALUE_TOO_LARGE);
			goto done;
		}
		/* the key is known at commit only: [stamp 00.., stamp ff..] is unreadable until then */
		uint8_t* lo = bytes_dup(key_name, kn);
		uint8_t* hi = bytes_dup(key_name, kn);
		memset(lo + off, 0x00, 10);
		memset(hi + off, 0xff, 10);
		if (bytes_cmp(hi, kn, mw, mwn) >= 0) {
			set_deferred(tr, E_KEY_OUTSIDE_LEGAL_RANGE);
			free(lo);
			free(hi);
			goto done;
		}
		int hn;
		uint8_t* hi_after = key_after(hi, kn, &hn);
		ranges_push(&tr->unreadable, lo, kn, hi_after, hn);
		push_mut(tr, op, key_name, key_name_length, param, param_length);
		add_write_conflict(tr, lo, kn, hi_after, hn);
		free(lo);
		free(hi);
		free(hi_after);
		goto done;
	}
	if (bytes_cmp(key_name, key_name_length, mw, mwn) >= 0) {
		set_deferred(tr, E_KEY_OUTSIDE_LEGAL_RANGE);
		goto done;
	}
	if (key_name_length > key_size_limit(key_name, key_name_length)) {
		set_deferred(tr, E_KEY_TOO_LARGE);
		goto done;
	}
	if (op == FDB_SIM_MUTATION_SET_VERSIONSTAMPED_VALUE) {
		if (versionstamp_offset(param, param_length, &off)) {
			set_deferred(tr, E_CLIENT_INVALID_OPERATION);
			goto done;
		}
		if (param_length - 4 > VALUE_SIZE_LIMIT) {
			set_deferred(tr, E_VALUE_TOO_LARGE);
			goto done;
		}
		push_mut(tr, op, key_name, key_name_length, param, param_length);
		snode* n = sl_upsert(&tr->points, key_name, key_name_length);
		if (n->val) free_point(n->val);
		point_t* p = xcalloc(1, sizeof(point_t));
		p->unreadable = 1;
		n->val = p;
		add_write_conflict_key(tr, key_name, key_name_length);
		goto done;
	}
	if (param_length > VALUE_SIZE_LIMIT) {
		set_deferred(tr, E_VALUE_TOO_LARGE);
		goto done;
	}
	push_mut(tr, op, key_name, key_name_length, param, param_length);
	{
		snode* n = sl_upsert(&tr->points, key_name, key_name_length);
		point_t* p = n->val;
		if (!p) {
			p = xcalloc(1, sizeof(point_t));
			n->val = p;
			if (clear_containing(tr, key_name, key_name_length) >= 0) {
				p->independent = 1; /* over a range this transaction cleared: the base is known absent */
				p->present = 0;
			}
		}
		if (p->unreadable) {
			/* stays unreadable: its base is a versionstamped value */
		} else if (p->independent) {
			uint8_t* out = NULL;
			int outn = 0;
			int present = atomic_apply(op, p->present, p->val, p->vlen, param, param_length, &out, &outn);
			free(p->val);
			p->present = present;
			p->val = out;
			p->vlen = outn;
		} else {
			op_t* o = xcalloc(1, sizeof(op_t));
			o->type = op;
			o->p = bytes_dup(param, param_length);
			o->n = param_length;
			if (p->ops_tail)
				p->ops_tail->next = o;
			else
				p->ops = o;
			p->ops_tail = o;
		}
	}
	add_write_conflict_key(tr, key_name, key_name_length);
done:
	pthread_mutex_unlock(&sim_lock);
}

fdb_error_t fdb_transaction_add_conflict_range(FDBTransaction* tr,
                                               uint8_t const* begin_key_name,
                                               int begin_key_name_length,
                                               uint8_t const* end_key_name,
                                               int end_key_name_length,
                                               int type) {
	if (bytes_cmp(begin_key_name, begin_key_name_length, end_key_name, end_key_name_length) > 0) return E_INVERTED_RANGE;
	if (type != FDB_SIM_CONFLICT_RANGE_TYPE_READ && type != FDB_SIM_CONFLICT_RANGE_TYPE_WRITE) return E_INVALID_OPTION_VALUE;
	pthread_mutex_lock(&sim_lock);
	const uint8_t* mk;
	int mkn = type == FDB_SIM_CONFLICT_RANGE_TYPE_READ ? max_read_key(tr, &mk) : max_write_key(tr, &mk);
	fdb_error_t e = 0;
	if (bytes_cmp(begin_key_name, begin_key_name_length, mk, mkn) > 0 || bytes_cmp(end_key_name, end_key_name_length, mk, mkn) > 0)
		e = E_KEY_OUTSIDE_LEGAL_RANGE;
	else if (type == FDB_SIM_CONFLICT_RANGE_TYPE_READ)
		add_read_conflict(tr, begin_key_name, begin_key_name_length, end_key_name, end_key_name_length);
	else {
		int saved = tr->next_write_no_conflict;
		tr->next_write_no_conflict = 0;
		add_write_conflict(tr, begin_key_name, begin_key_name_length, end_key_name, end_key_name_length);
		tr->next_write_no_conflict = saved;
	}
	pthread_mutex_unlock(&sim_lock);
	return e;
}

/* ---- watches ---- */

FDBFuture* fdb_transaction_watch(FDBTransaction* tr, uint8_t const* key_name, int key_name_length) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_VOID);
	const uint8_t* mk;
	int mkn = max_read_key(tr, &mk);
	fdb_error_t e = sticky_error(tr);
	if (!e) e = tr->deferred_err;
	if (!e && tr->ryw_disabled) e = E_WATCHES_DISABLED;
	if (!e && bytes_cmp(key_name, key_name_length, mk, mkn) >= 0) e = E_KEY_OUTSIDE_LEGAL_RANGE;
	if (!e && key_name_length > key_size_limit(key_name, key_name_length)) e = E_KEY_TOO_LARGE;
	if (!e && tr->db->watch_count >= tr->db->max_watches) e = E_TOO_MANY_WATCHES;
	if (!e && !g_cfg.unreachable) e = ensure_read_version(tr);
	uint8_t* v = NULL;
	int vn = 0, conflict = 0, present = 0;
	if (!e && !g_cfg.unreachable) {
		/* the value to compare with: what this transaction sees now, its own writes included */
		int r = view_get(tr, 0, key_name, key_name_length, &v, &vn, &conflict);
		if (r < 0)
			e = -r;
		else
			present = r;
	}
	if (e) {
		free(v);
		f->err = e;
		future_schedule(f, 0);
	} else if (g_cfg.unreachable) {
		free(v); /* never fires */
	} else {
		watch_t* w = xcalloc(1, sizeof(watch_t));
		w->f = f;
		w->db = tr->db;
		tr->db->refs++;
		tr->db->watch_count++;
		w->key.p = bytes_dup(key_name, key_name_length);
		w->key.n = key_name_length;
		w->present = present;
		w->value.p = v;
		w->value.n = vn;
		w->next = tr->watches;
		tr->watches = w;
		owner_set(w, tr);
		f->watch = w;
		f->refs++; /* the list's reference */
	}
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* ---- commit ---- */

/* Picks an injected fault for this commit, or 0. */
static int pick_commit_fault(void) {
	if (g_cfg.fault_rate <= 0 || g_cfg.nfaults == 0) return 0;
	if (rng_fault() >= g_cfg.fault_rate) return 0;
	int code = g_cfg.faults[(int)(rng_fault() * g_cfg.nfaults) % g_cfg.nfaults];
	if (code == E_COMMIT_UNKNOWN_RESULT) code = rng_fault() < 0.5 ? FAULT_UNKNOWN_APPLIED : FAULT_UNKNOWN_NOT_APPLIED;
	return code;
}

static void put_be64(uint8_t* p, int64_t v) {
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

/* Applies the attempt's mutations, in order, at a new version. */
static void apply_commit(FDBTransaction* tr) {
	int64_t v = ++g_version;
	note_commit_time(v);
	put_be64(tr->vstamp, v);
	tr->vstamp[8] = tr->vstamp[9] = 0; /* one transaction per version: batch order 0 */
	for (int i = 0; i < tr->nmuts; i++) {
		mut_t* m = &tr->muts[i];
		switch (m->type) {
		case M_SET:
			store_write(m->k.p, m->k.n, 1, m->p.p, m->p.n, v);
			break;
		case M_CLEAR_RANGE:
			store_clear_range(m->k.p, m->k.n, m->p.p, m->p.n, v);
			break;
		case FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY: {
			int off = 0;
			versionstamp_offset(m->k.p, m->k.n, &off);
			int kn = m->k.n - 4;
			uint8_t* k = bytes_dup(m->k.p, kn);
			memcpy(k + off, tr->vstamp, 10);
			store_write(k, kn, 1, m->p.p, m->p.n, v);
			free(k);
			break;
		}
		case FDB_SIM_MUTATION_SET_VERSIONSTAMPED_VALUE: {
			int off = 0;
			versionstamp_offset(m->p.p, m->p.n, &off);
			int vn = m->p.n - 4;
			uint8_t* val = bytes_dup(m->p.p, vn);
			memcpy(val + off, tr->vstamp, 10);
			store_write(m->k.p, m->k.n, 1, val, vn, v);
			free(val);
			break;
		}
		default: {
			const ventry* cur = store_get(m->k.p, m->k.n, v);
			uint8_t* out = NULL;
			int outn = 0;
			int present = atomic_apply(m->type, cur != NULL, cur ? cur->val : NULL, cur ? cur->len : 0, m->p.p, m->p.n, &out, &outn);
			store_write(m->k.p, m->k.n, present, out, outn, v);
			free(out);
			break;
		}
		}
	}
	conflict_log_add(v, &tr->writes);
	tr->committed_version = v;
	g_stats[FDB_SIM_STAT_COMMITS]++;
}

static void finish_commit(FDBTransaction* tr, FDBFuture* f, fdb_error_t e) {
	f->err = e;
	if (!e) tr->committed = 1;
	settle_versionstamps(tr, e ? e : (tr->read_only_commit ? E_NO_COMMIT_VERSION : 0));
	settle_watches(tr, e);
	if (!e) watches_on_commit();
	publish(tr, f);
}

FDBFuture* fdb_transaction_commit(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_VOID);
	fdb_error_t e = sticky_error(tr);
	if (!e) e = tr->deferred_err;
	if (!e && tr->committed) e = E_USED_DURING_COMMIT; /* committed already: reset before reuse */
	if (e) {
		finish_commit(tr, f, e);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	if (g_cfg.unreachable) {
		publish(tr, f); /* never answers; fails at the transaction timeout if one is set */
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	if (tr->nmuts == 0 && tr->writes.n == 0) {
		/* read-only: nothing to resolve, never conflicts */
		tr->read_only_commit = 1;
		tr->committed_version = -1;
		g_stats[FDB_SIM_STAT_READ_ONLY_COMMITS]++;
		finish_commit(tr, f, 0);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	if (tr->mut_bytes + tr->conflict_bytes > tr->size_limit) {
		finish_commit(tr, f, E_TRANSACTION_TOO_LARGE);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	if (!tr->has_rv) {
		/* blind writes: the read version is taken at commit and nothing was read */
		tr->has_rv = 1;
		tr->rv = g_version;
		tr->rv_time = now_ns();
	}
	if (tr->reads.n > 0) {
		if (tr->rv < store_horizon() || now_ns() - tr->rv_time > g_cfg.max_txn_age_ns) {
			g_stats[FDB_SIM_STAT_TOO_OLD]++;
			finish_commit(tr, f, E_TRANSACTION_TOO_OLD);
			pthread_mutex_unlock(&sim_lock);
			return f;
		}
		if (conflict_log_check(tr->rv, &tr->reads)) {
			g_stats[FDB_SIM_STAT_CONFLICTS]++;
			finish_commit(tr, f, E_NOT_COMMITTED);
			pthread_mutex_unlock(&sim_lock);
			return f;
		}
	}
	int fault = pick_commit_fault();
	if (fault) {
		g_stats[FDB_SIM_STAT_INJECTED]++;
		int applied = fault == FAULT_UNKNOWN_APPLIED;
		int unknown = applied || fault == FAULT_UNKNOWN_NOT_APPLIED;
		if (applied)
			g_stats[FDB_SIM_STAT_INJECTED_UNKNOWN_APPLIED]++;
		else if (fault == FAULT_UNKNOWN_NOT_APPLIED)
			g_stats[FDB_SIM_STAT_INJECTED_UNKNOWN_NOT_APPLIED]++;
		else if (fault == E_NOT_COMMITTED)
			g_stats[FDB_SIM_STAT_INJECTED_NOT_COMMITTED]++;
		else if (fault == E_TRANSACTION_TOO_OLD)
			g_stats[FDB_SIM_STAT_INJECTED_TOO_OLD]++;
		else
			g_stats[FDB_SIM_STAT_INJECTED_OTHER]++;
		if (applied) apply_commit(tr);
		fdb_error_t code = unknown ? E_COMMIT_UNKNOWN_RESULT : fault;
		if (unknown && tr->automatic_idempotency) {
			/* the client looks its idempotency id up: committed → success, else transaction_too_old */
			g_stats[FDB_SIM_STAT_IDEMPOTENCY_RESOLVED]++;
			code = applied ? 0 : E_TRANSACTION_TOO_OLD;
		}
		sim_log("injected %d at commit (%s)", code ? code : 1021, applied ? "applied" : "not applied");
		finish_commit(tr, f, code);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	apply_commit(tr);
	finish_commit(tr, f, 0);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

fdb_error_t fdb_transaction_get_committed_version(FDBTransaction* tr, int64_t* out_version) {
	pthread_mutex_lock(&sim_lock);
	*out_version = tr->committed ? tr->committed_version : -1;
	pthread_mutex_unlock(&sim_lock);
	return 0;
}

FDBFuture* fdb_transaction_get_versionstamp(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_KEY);
	fdb_error_t e = sticky_error(tr);
	if (e) {
		f->err = e;
		future_schedule(f, 0);
	} else if (tr->committed) {
		if (tr->read_only_commit) {
			f->err = E_NO_COMMIT_VERSION;
		} else {
			f->data = bytes_dup(tr->vstamp, 10);
			f->len = 10;
		}
		future_schedule(f, 0);
	} else {
		/* resolves when this attempt commits (or fails with its error) */
		if (tr->nvs == tr->capvs) {
			tr->capvs = tr->capvs ? tr->capvs * 2 : 4;
			tr->vs = xrealloc(tr->vs, sizeof(FDBFuture*) * (size_t)tr->capvs);
		}
		tr->vs[tr->nvs++] = f;
		f->refs++;
	}
	pthread_mutex_unlock(&sim_lock);
	return f;
}

FDBFuture* fdb_transaction_get_approximate_size(FDBTransaction* tr) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_INT64);
	f->i64 = tr->mut_bytes + tr->conflict_bytes;
	f->err = sticky_error(tr);
	future_schedule(f, 0);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* ---- retries ---- */

static int retryable_on_error(fdb_error_t code) {
	switch (code) {
	case E_NOT_COMMITTED:
	case E_COMMIT_UNKNOWN_RESULT:
	case E_DATABASE_LOCKED:
	case E_COMMIT_PROXY_MEMORY_LIMIT_EXCEEDED:
	case E_GRV_PROXY_MEMORY_LIMIT_EXCEEDED:
	case E_PROCESS_BEHIND:
	case E_BATCH_TRANSACTION_THROTTLED:
	case E_TAG_THROTTLED:
	case E_BLOB_GRANULE_REQUEST_FAILED:
	case E_PROXY_TAG_THROTTLED:
	case E_TRANSACTION_THROTTLED_HOT_SHARD:
	case E_CLUSTER_VERSION_CHANGED:
	case E_TRANSACTION_TOO_OLD:
	case E_FUTURE_VERSION:
		return 1;
	default:
		return 0;
	}
}

FDBFuture* fdb_transaction_on_error(FDBTransaction* tr, fdb_error_t error) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_VOID);
	fdb_error_t e = sticky_error(tr);
	if (!e) {
		if (error == 0)
			e = E_CLIENT_INVALID_OPERATION;
		else if (!retryable_on_error(error))
			e = error;
		else if (tr->retry_limit >= 0 && tr->retries >= tr->retry_limit)
			e = error;
	}
	if (e) {
		/* from API 610 a transaction whose on_error failed stays cancelled until reset */
		if (!tr->cancelled_err) tr->cancelled_err = E_TRANSACTION_CANCELLED;
		settle_watches(tr, E_TRANSACTION_CANCELLED);
		settle_versionstamps(tr, E_TRANSACTION_CANCELLED);
		g_stats[FDB_SIM_STAT_ON_ERROR_GAVE_UP]++;
		f->err = e;
		future_schedule(f, 0);
		pthread_mutex_unlock(&sim_lock);
		return f;
	}
	tr->retries++;
	g_stats[FDB_SIM_STAT_RETRIES]++;
	double max_backoff = (double)tr->max_retry_delay_ms / 1000.0;
	double delay;
	if (error == E_TRANSACTION_TOO_OLD || error == E_FUTURE_VERSION) {
		delay = DEFAULT_BACKOFF_S < max_backoff ? DEFAULT_BACKOFF_S : max_backoff;
	} else {
		delay = tr->backoff_s * rng_backoff();
		tr->backoff_s *= 2;
		if (tr->backoff_s > max_backoff) tr->backoff_s = max_backoff;
	}
	clear_attempt(tr, E_TRANSACTION_CANCELLED);
	int64_t delay_ns = (int64_t)(delay * 1e9);
	if (tr->timeout_ms > 0) {
		int64_t left = tr->created_ns + tr->timeout_ms * 1000000LL - now_ns();
		if (left < delay_ns) {
			delay_ns = left > 0 ? left : 0;
			f->err = E_TRANSACTION_TIMED_OUT;
			tr->cancelled_err = E_TRANSACTION_TIMED_OUT;
			g_stats[FDB_SIM_STAT_TIMEOUTS]++;
		}
	}
	future_schedule(f, delay_ns);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* ---- sizes ---- */

FDBFuture* fdb_transaction_get_estimated_range_size_bytes(FDBTransaction* tr,
                                                          uint8_t const* begin_key_name,
                                                          int begin_key_name_length,
                                                          uint8_t const* end_key_name,
                                                          int end_key_name_length) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_INT64);
	fdb_error_t e = sticky_error(tr);
	if (!e && bytes_cmp(begin_key_name, begin_key_name_length, end_key_name, end_key_name_length) > 0) e = E_INVERTED_RANGE;
	if (!e) {
		/* exact, where FoundationDB samples (and reports 0 for small ranges) */
		int64_t total = 0;
		snode* n = store_next_visible(sl_seek(&g_store, begin_key_name, begin_key_name_length, 1), g_version, end_key_name,
		                              end_key_name_length);
		while (n) {
			const ventry* v = store_at(n, g_version);
			total += n->klen + v->len;
			n = store_next_visible(sl_next(n), g_version, end_key_name, end_key_name_length);
		}
		f->i64 = total;
	}
	f->err = e;
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

FDBFuture* fdb_transaction_get_range_split_points(FDBTransaction* tr,
                                                  uint8_t const* begin_key_name,
                                                  int begin_key_name_length,
                                                  uint8_t const* end_key_name,
                                                  int end_key_name_length,
                                                  int64_t chunk_size) {
	pthread_mutex_lock(&sim_lock);
	FDBFuture* f = future_new(FT_KEYS);
	fdb_error_t e = sticky_error(tr);
	if (!e && bytes_cmp(begin_key_name, begin_key_name_length, end_key_name, end_key_name_length) > 0) e = E_INVERTED_RANGE;
	if (!e && chunk_size <= 0) e = E_INVALID_OPTION_VALUE;
	if (!e) {
		/* begin, then a key each time chunk_size bytes have gone by, then end */
		ranges_t keys = { 0 }; /* only .b used */
		ranges_push(&keys, begin_key_name, begin_key_name_length, NULL, 0);
		int64_t acc = 0;
		snode* n = store_next_visible(sl_seek(&g_store, begin_key_name, begin_key_name_length, 0), g_version, end_key_name,
		                              end_key_name_length);
		while (n) {
			const ventry* v = store_at(n, g_version);
			acc += n->klen + v->len;
			snode* nx = store_next_visible(sl_next(n), g_version, end_key_name, end_key_name_length);
			if (acc >= chunk_size && nx) {
				ranges_push(&keys, nx->key, nx->klen, NULL, 0);
				acc = 0;
			}
			n = nx;
		}
		ranges_push(&keys, end_key_name, end_key_name_length, NULL, 0);
		size_t total = 0;
		for (int i = 0; i < keys.n; i++) total += (size_t)keys.v[i].b.n;
		FDBKey* arr = xcalloc((size_t)keys.n, sizeof(FDBKey));
		uint8_t* data = xmalloc(total + 1);
		size_t off = 0;
		for (int i = 0; i < keys.n; i++) {
			if (keys.v[i].b.n) memcpy(data + off, keys.v[i].b.p, (size_t)keys.v[i].b.n);
			arr[i].key = data + off;
			arr[i].key_length = keys.v[i].b.n;
			off += (size_t)keys.v[i].b.n;
		}
		f->array = arr;
		f->data = data;
		f->count = keys.n;
		ranges_free(&keys);
	}
	f->err = e;
	publish(tr, f);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

/* ---- extras ---- */

void fdb_sim_wipe(void) {
	static const uint8_t END[] = { 0xff, 0xff };
	pthread_mutex_lock(&sim_lock);
	int64_t v = ++g_version;
	note_commit_time(v);
	store_clear_range(NULL, 0, END, 2, v);
	ranges_t all = { 0 };
	ranges_push(&all, NULL, 0, END, 2);
	conflict_log_add(v, &all);
	ranges_free(&all);
	watches_on_commit();
	pthread_mutex_unlock(&sim_lock);
}
