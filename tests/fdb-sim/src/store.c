/*
 * The versioned key-value store and the conflict log.
 *
 * Each key keeps a short history of (version, value | tombstone), newest
 * first, so a transaction reads the snapshot at its read version while other
 * transactions commit. History older than the horizon (the oldest version a
 * transaction may still read, about max transaction age ago) is dropped by a
 * periodic sweep on the network thread.
 *
 * The conflict log keeps the write conflict ranges of each commit with its
 * version; a commit conflicts when one of its read conflict ranges meets a
 * range written after its read version (FoundationDB's resolver, in memory).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

skiplist g_store;
static int g_store_ready = 0;
static int64_t g_horizon = 0;

static void ensure_store(void) {
	if (!g_store_ready) {
		sl_init(&g_store);
		g_store_ready = 1;
	}
}

const ventry* store_at(snode* n, int64_t version) {
	for (ventry* e = n->val; e; e = e->older) {
		if (e->version <= version) return e->present ? e : NULL;
	}
	return NULL;
}

snode* store_next_visible(snode* n, int64_t version, const uint8_t* end, int en) {
	for (; n; n = sl_next(n)) {
		if (end && bytes_cmp(n->key, n->klen, end, en) >= 0) return NULL;
		if (store_at(n, version)) return n;
	}
	return NULL;
}

snode* store_prev_visible(snode* n, int64_t version, const uint8_t* begin, int bn) {
	for (; n; n = sl_prev(n)) {
		if (begin && bytes_cmp(n->key, n->klen, begin, bn) < 0) return NULL;
		if (store_at(n, version)) return n;
	}
	return NULL;
}

const ventry* store_get(const uint8_t* k, int kn, int64_t version) {
	ensure_store();
	snode* n = sl_find(&g_store, k, kn);
	return n ? store_at(n, version) : NULL;
}

static void free_chain(ventry* e) {
	while (e) {
		ventry* o = e->older;
		free(e->val);
		free(e);
		e = o;
	}
}

/* Keeps every entry newer than the horizon plus the newest one at or below it. */
static void prune_chain(ventry* head, int64_t horizon) {
	for (ventry* e = head; e; e = e->older) {
		if (e->version <= horizon) {
			free_chain(e->older);
			e->older = NULL;
			return;
		}
	}
}

void store_write(const uint8_t* k, int kn, int present, const uint8_t* v, int vn, int64_t version) {
	ensure_store();
	snode* n;
	if (!present) {
		n = sl_find(&g_store, k, kn);
		if (!n || !n->val || !((ventry*)n->val)->present) return; /* already absent */
	} else {
		n = sl_upsert(&g_store, k, kn);
	}
	ventry* head = n->val;
	if (head && head->version == version) {
		free(head->val);
	} else {
		ventry* e = xcalloc(1, sizeof(ventry));
		e->older = head;
		e->version = version;
		n->val = e;
		head = e;
	}
	head->present = present;
	head->val = present ? bytes_dup(v, vn) : NULL;
	head->len = present ? vn : 0;
	prune_chain(head, g_horizon);
}

void store_clear_range(const uint8_t* b, int bn, const uint8_t* e, int en, int64_t version) {
	ensure_store();
	snode* n = sl_seek(&g_store, b, bn, 1);
	while (n && bytes_cmp(n->key, n->klen, e, en) < 0) {
		snode* nx = sl_next(n);
		ventry* head = n->val;
		if (head && head->present) store_write(n->key, n->klen, 0, NULL, 0, version);
		n = nx;
	}
}

int64_t store_live_keys(void) {
	ensure_store();
	int64_t c = 0;
	for (snode* n = sl_first(&g_store); n; n = sl_next(n)) {
		ventry* head = n->val;
		if (head && head->present) c++;
	}
	return c;
}

void store_gc(int64_t horizon) {
	ensure_store();
	if (horizon > g_horizon) g_horizon = horizon;
	snode* n = sl_first(&g_store);
	while (n) {
		snode* nx = sl_next(n);
		ventry* head = n->val;
		prune_chain(head, g_horizon);
		if (!head || (!head->present && head->version <= g_horizon && head->older == NULL)) {
			free_chain(head);
			sl_remove(&g_store, n);
		}
		n = nx;
	}
}

void store_init(void) { ensure_store(); }

/* ---- read horizon: versions and the time they were committed ---- */

typedef struct {
	int64_t version;
	int64_t t;
} vtime;
static vtime* g_vt = NULL;
static int g_vt_n = 0, g_vt_cap = 0, g_vt_start = 0;

void note_commit_time(int64_t version) {
	if (g_vt_n == g_vt_cap) {
		/* compact, then grow */
		if (g_vt_start > 0) {
			memmove(g_vt, g_vt + g_vt_start, sizeof(vtime) * (size_t)(g_vt_n - g_vt_start));
			g_vt_n -= g_vt_start;
			g_vt_start = 0;
		}
		if (g_vt_n == g_vt_cap) {
			g_vt_cap = g_vt_cap ? g_vt_cap * 2 : 1024;
			g_vt = xrealloc(g_vt, sizeof(vtime) * (size_t)g_vt_cap);
		}
	}
	g_vt[g_vt_n].version = version;
	g_vt[g_vt_n].t = now_ns();
	g_vt_n++;
}

int64_t store_horizon(void) {
	/* A transaction may read until max age after it took its read version;
	 * one more second of margin keeps sweeps away from that edge. */
	int64_t cutoff = now_ns() - g_cfg.max_txn_age_ns - 1000000000LL;
	while (g_vt_start < g_vt_n && g_vt[g_vt_start].t <= cutoff) {
		if (g_vt[g_vt_start].version > g_horizon) g_horizon = g_vt[g_vt_start].version;
		g_vt_start++;
	}
	return g_horizon;
}

/* ---- conflict log ---- */

typedef struct crec {
	int64_t version;
	ranges_t writes;
	struct crec* older;
} crec;
static crec* g_log = NULL; /* newest first */

void conflict_log_add(int64_t version, const ranges_t* writes) {
	crec* r = xcalloc(1, sizeof(crec));
	r->version = version;
	for (int i = 0; i < writes->n; i++)
		ranges_push(&r->writes, writes->v[i].b.p, writes->v[i].b.n, writes->v[i].e.p, writes->v[i].e.n);
	r->older = g_log;
	g_log = r;
}

int conflict_log_check(int64_t read_version, const ranges_t* reads) {
	for (crec* r = g_log; r && r->version > read_version; r = r->older) {
		for (int i = 0; i < reads->n; i++)
			for (int j = 0; j < r->writes.n; j++)
				if (range_intersects(&reads->v[i], &r->writes.v[j])) return 1;
	}
	return 0;
}

void conflict_log_gc(int64_t horizon) {
	crec** link = &g_log;
	while (*link && (*link)->version > horizon) link = &(*link)->older;
	crec* r = *link;
	*link = NULL;
	while (r) {
		crec* o = r->older;
		ranges_free(&r->writes);
		free(r);
		r = o;
	}
}
