/*
 * Atomic mutations, with FoundationDB's documented semantics (api-c.html,
 * FDBMutationType): little-endian integers whose result takes the operand's
 * length, the "_V2" behaviour of BIT_AND and MIN on a missing key (API >= 510
 * stores the operand), APPEND_IF_FITS silently dropped past the value limit,
 * COMPARE_AND_CLEAR. Versionstamped mutations are resolved at commit, not here.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int atomic_is_known(int op) {
	switch (op) {
	case FDB_SIM_MUTATION_ADD:
	case FDB_SIM_MUTATION_BIT_AND:
	case FDB_SIM_MUTATION_BIT_OR:
	case FDB_SIM_MUTATION_BIT_XOR:
	case FDB_SIM_MUTATION_APPEND_IF_FITS:
	case FDB_SIM_MUTATION_MAX:
	case FDB_SIM_MUTATION_MIN:
	case FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY:
	case FDB_SIM_MUTATION_SET_VERSIONSTAMPED_VALUE:
	case FDB_SIM_MUTATION_BYTE_MIN:
	case FDB_SIM_MUTATION_BYTE_MAX:
	case M_MIN_V2:
	case M_AND_V2:
	case FDB_SIM_MUTATION_COMPARE_AND_CLEAR:
		return 1;
	default:
		return 0;
	}
}

static int result(uint8_t** out, int* outn, const uint8_t* p, int n) {
	*out = bytes_dup(p, n);
	*outn = n;
	return 1;
}

/* existing value truncated or zero-extended to the operand's length */
static int existing_resized(uint8_t** out, int* outn, const uint8_t* old, int oldn, int pn) {
	uint8_t* b = xcalloc(1, (size_t)pn + 1);
	memcpy(b, old, (size_t)(oldn < pn ? oldn : pn));
	*out = b;
	*outn = pn;
	return 1;
}

static int do_add(const uint8_t* old, int oldn, const uint8_t* p, int pn, uint8_t** out, int* outn) {
	if (oldn == 0 || pn == 0) return result(out, outn, p, pn);
	uint8_t* b = xmalloc((size_t)pn + 1);
	int carry = 0;
	for (int i = 0; i < pn; i++) {
		int sum = p[i] + (i < oldn ? old[i] : 0) + carry;
		b[i] = (uint8_t)sum;
		carry = sum >> 8;
	}
	*out = b;
	*outn = pn;
	return 1;
}

static int do_bitwise(int op, const uint8_t* old, int oldn, const uint8_t* p, int pn, uint8_t** out, int* outn) {
	if (pn == 0) return result(out, outn, p, pn);
	if (op != FDB_SIM_MUTATION_BIT_AND && oldn == 0) return result(out, outn, p, pn);
	uint8_t* b = xmalloc((size_t)pn + 1);
	for (int i = 0; i < pn; i++) {
		if (i < oldn) {
			if (op == FDB_SIM_MUTATION_BIT_AND)
				b[i] = old[i] & p[i];
			else if (op == FDB_SIM_MUTATION_BIT_OR)
				b[i] = old[i] | p[i];
			else
				b[i] = old[i] ^ p[i];
		} else {
			b[i] = op == FDB_SIM_MUTATION_BIT_AND ? 0 : p[i];
		}
	}
	*out = b;
	*outn = pn;
	return 1;
}

/* Compares unsigned little-endian integers, the existing one seen at the operand's length. */
static int le_cmp_operand_vs_existing(const uint8_t* old, int oldn, const uint8_t* p, int pn) {
	for (int j = pn - 1; j >= 0; j--) {
		int o = j < oldn ? old[j] : 0;
		if (p[j] != o) return p[j] > o ? 1 : -1;
	}
	return 0;
}

static int do_max(const uint8_t* old, int oldn, const uint8_t* p, int pn, uint8_t** out, int* outn) {
	if (oldn == 0 || pn == 0) return result(out, outn, p, pn);
	if (le_cmp_operand_vs_existing(old, oldn, p, pn) >= 0) return result(out, outn, p, pn);
	return existing_resized(out, outn, old, oldn, pn);
}

static int do_min(const uint8_t* old, int oldn, const uint8_t* p, int pn, uint8_t** out, int* outn) {
	if (pn == 0) return result(out, outn, p, pn);
	if (le_cmp_operand_vs_existing(old, oldn, p, pn) <= 0) return result(out, outn, p, pn);
	return existing_resized(out, outn, old, oldn, pn);
}

int atomic_apply(int op, int present, const uint8_t* old, int oldn, const uint8_t* p, int pn, uint8_t** out, int* outn) {
	if (!present) {
		old = NULL;
		oldn = 0;
	}
	switch (op) {
	case FDB_SIM_MUTATION_ADD:
		return do_add(old, oldn, p, pn, out, outn);
	case FDB_SIM_MUTATION_BIT_AND:
	case M_AND_V2:
		if (!present) return result(out, outn, p, pn);
		return do_bitwise(FDB_SIM_MUTATION_BIT_AND, old, oldn, p, pn, out, outn);
	case FDB_SIM_MUTATION_BIT_OR:
	case FDB_SIM_MUTATION_BIT_XOR:
		return do_bitwise(op, old, oldn, p, pn, out, outn);
	case FDB_SIM_MUTATION_APPEND_IF_FITS:
		if (oldn == 0) return result(out, outn, p, pn);
		if (pn == 0 || oldn + pn > VALUE_SIZE_LIMIT) return result(out, outn, old, oldn);
		{
			uint8_t* b = xmalloc((size_t)(oldn + pn) + 1);
			memcpy(b, old, (size_t)oldn);
			memcpy(b + oldn, p, (size_t)pn);
			*out = b;
			*outn = oldn + pn;
			return 1;
		}
	case FDB_SIM_MUTATION_MAX:
		return do_max(old, oldn, p, pn, out, outn);
	case FDB_SIM_MUTATION_MIN:
	case M_MIN_V2:
		if (!present) return result(out, outn, p, pn);
		return do_min(old, oldn, p, pn, out, outn);
	case FDB_SIM_MUTATION_BYTE_MIN:
		if (!present) return result(out, outn, p, pn);
		return bytes_cmp(old, oldn, p, pn) < 0 ? result(out, outn, old, oldn) : result(out, outn, p, pn);
	case FDB_SIM_MUTATION_BYTE_MAX:
		if (!present) return result(out, outn, p, pn);
		return bytes_cmp(old, oldn, p, pn) > 0 ? result(out, outn, old, oldn) : result(out, outn, p, pn);
	case FDB_SIM_MUTATION_COMPARE_AND_CLEAR:
		if (present && bytes_cmp(old, oldn, p, pn) == 0) {
			*out = NULL;
			*outn = 0;
			return 0;
		}
		if (!present) {
			*out = NULL;
			*outn = 0;
			return 0;
		}
		return result(out, outn, old, oldn);
	default:
		/* SET_VERSIONSTAMPED_VALUE is resolved at commit; any other type was refused earlier */
		return result(out, outn, p, pn);
	}
}
