/*
 * Byte-string helpers and an ordered map (skip list with back links) used for
 * the versioned store and for each transaction's buffered writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SL_MAX_LEVEL 24

void* xmalloc(size_t n) {
	void* p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "fdb-sim: out of memory\n");
		abort();
	}
	return p;
}

void* xcalloc(size_t a, size_t b) {
	void* p = calloc(a ? a : 1, b ? b : 1);
	if (!p) {
		fprintf(stderr, "fdb-sim: out of memory\n");
		abort();
	}
	return p;
}

void* xrealloc(void* p, size_t n) {
	void* q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "fdb-sim: out of memory\n");
		abort();
	}
	return q;
}

int bytes_cmp(const uint8_t* a, int an, const uint8_t* b, int bn) {
	int m = an < bn ? an : bn;
	int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
	if (c != 0) return c;
	return an < bn ? -1 : (an > bn ? 1 : 0);
}

uint8_t* bytes_dup(const uint8_t* p, int n) {
	uint8_t* q = xmalloc((size_t)n + 1);
	if (n > 0) memcpy(q, p, (size_t)n);
	q[n] = 0;
	return q;
}

uint8_t* key_after(const uint8_t* p, int n, int* out_n) {
	uint8_t* q = xmalloc((size_t)n + 1);
	if (n > 0) memcpy(q, p, (size_t)n);
	q[n] = 0;
	*out_n = n + 1;
	return q;
}

void ranges_push(ranges_t* r, const uint8_t* b, int bn, const uint8_t* e, int en) {
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xrealloc(r->v, sizeof(range_t) * (size_t)r->cap);
	}
	range_t* x = &r->v[r->n++];
	x->b.p = bytes_dup(b, bn);
	x->b.n = bn;
	x->e.p = bytes_dup(e, en);
	x->e.n = en;
}

void ranges_free(ranges_t* r) {
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].b.p);
		free(r->v[i].e.p);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

int range_intersects(const range_t* x, const range_t* y) {
	/* [xb, xe) and [yb, ye) intersect iff xb < ye and yb < xe (both non-empty) */
	return bytes_cmp(x->b.p, x->b.n, y->e.p, y->e.n) < 0 && bytes_cmp(y->b.p, y->b.n, x->e.p, x->e.n) < 0 &&
	       bytes_cmp(x->b.p, x->b.n, x->e.p, x->e.n) < 0 && bytes_cmp(y->b.p, y->b.n, y->e.p, y->e.n) < 0;
}

static snode* node_new(int level, const uint8_t* k, int kn) {
	snode* n = xcalloc(1, sizeof(snode) + sizeof(snode*) * (size_t)level);
	n->level = level;
	if (kn >= 0) {
		n->key = bytes_dup(k, kn);
		n->klen = kn;
	} else {
		n->klen = -1;
	}
	return n;
}

void sl_init(skiplist* s) {
	s->head = node_new(SL_MAX_LEVEL, NULL, -1);
	s->level = 1;
	s->count = 0;
	s->rng = 0x9E3779B97F4A7C15ULL;
}

static int random_level(skiplist* s) {
	/* xorshift64: the shape of the list does not need the seeded streams */
	uint64_t x = s->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->rng = x;
	int level = 1;
	while ((x & 3) == 0 && level < SL_MAX_LEVEL) {
		level++;
		x >>= 2;
	}
	return level;
}

/* Fills update[i] with the last node at level i whose key is < k (or <= k when !strict). */
static snode* find_path(skiplist* s, const uint8_t* k, int kn, int strict, snode** update) {
	snode* x = s->head;
	for (int i = s->level - 1; i >= 0; i--) {
		while (x->next[i]) {
			int c = bytes_cmp(x->next[i]->key, x->next[i]->klen, k, kn);
			if (c < 0 || (!strict && c == 0))
				x = x->next[i];
			else
				break;
		}
		if (update) update[i] = x;
	}
	return x;
}

snode* sl_seek(skiplist* s, const uint8_t* k, int kn, int inclusive) {
	snode* x = find_path(s, k, kn, inclusive, NULL);
	return x->next[0];
}

snode* sl_seek_back(skiplist* s, const uint8_t* k, int kn, int inclusive) {
	snode* x = find_path(s, k, kn, !inclusive, NULL);
	return x == s->head ? NULL : x;
}

snode* sl_find(skiplist* s, const uint8_t* k, int kn) {
	snode* x = sl_seek(s, k, kn, 1);
	if (x && bytes_cmp(x->key, x->klen, k, kn) == 0) return x;
	return NULL;
}

snode* sl_upsert(skiplist* s, const uint8_t* k, int kn) {
	snode* update[SL_MAX_LEVEL];
	snode* x = find_path(s, k, kn, 1, update)->next[0];
	if (x && bytes_cmp(x->key, x->klen, k, kn) == 0) return x;
	int level = random_level(s);
	if (level > s->level) {
		for (int i = s->level; i < level; i++) update[i] = s->head;
		s->level = level;
	}
	snode* n = node_new(level, k, kn);
	for (int i = 0; i < level; i++) {
		n->next[i] = update[i]->next[i];
		update[i]->next[i] = n;
	}
	n->prev = update[0];
	if (n->next[0]) n->next[0]->prev = n;
	s->count++;
	return n;
}

void sl_remove(skiplist* s, snode* n) {
	snode* update[SL_MAX_LEVEL];
	find_path(s, n->key, n->klen, 1, update);
	for (int i = 0; i < s->level; i++) {
		if (update[i]->next[i] == n) update[i]->next[i] = n->next[i];
	}
	if (n->next[0]) n->next[0]->prev = n->prev;
	while (s->level > 1 && s->head->next[s->level - 1] == NULL) s->level--;
	s->count--;
	free(n->key);
	free(n);
}

snode* sl_first(skiplist* s) { return s->head->next[0]; }

snode* sl_last(skiplist* s) {
	snode* x = s->head;
	for (int i = s->level - 1; i >= 0; i--)
		while (x->next[i]) x = x->next[i];
	return x == s->head ? NULL : x;
}

void sl_clear(skiplist* s, void (*free_val)(void*)) {
	snode* x = s->head->next[0];
	while (x) {
		snode* nx = x->next[0];
		if (free_val && x->val) free_val(x->val);
		free(x->key);
		free(x);
		x = nx;
	}
	for (int i = 0; i < SL_MAX_LEVEL; i++) s->head->next[i] = NULL;
	s->level = 1;
	s->count = 0;
}
