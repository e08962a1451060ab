/*
 * fdb_sim.h: what the FoundationDB test double (libfdb_c.so built from
 * tests/fdb-sim/) exports.
 *
 * Written for this project from FoundationDB's documented C API (api-c.html,
 * API version 730): the same function names, argument lists, struct layouts,
 * option, mutation and error codes, so a binding written against the real
 * fdb_c.h can load this library instead. It is NOT FoundationDB's header; it
 * declares only what the double implements, plus a few fdb_sim_* extras that
 * tests use to configure fault injection and read counters.
 */
#ifndef FDB_SIM_H
#define FDB_SIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FDB_SIM_EXPORT __attribute__((visibility("default")))

/* The newest API version the double speaks, and the oldest it accepts. */
#define FDB_SIM_MAX_API_VERSION 730
#define FDB_SIM_MIN_API_VERSION 610

typedef struct FDB_future FDBFuture;
typedef struct FDB_database FDBDatabase;
typedef struct FDB_transaction FDBTransaction;

typedef int fdb_error_t;
typedef int fdb_bool_t;

typedef void (*FDBCallback)(FDBFuture* future, void* callback_parameter);

/* Result structs are packed to 4 bytes, as in fdb_c.h: FDBKey is 12 bytes,
 * FDBKeyValue and FDBKeyRange 24 bytes on 64-bit targets. */
#pragma pack(push, 4)
typedef struct {
	const uint8_t* key;
	int key_length;
} FDBKey;

typedef struct {
	const uint8_t* key;
	int key_length;
	const uint8_t* value;
	int value_length;
} FDBKeyValue;

typedef struct {
	const uint8_t* begin_key;
	int begin_key_length;
	const uint8_t* end_key;
	int end_key_length;
} FDBKeyRange;
#pragma pack(pop)

/* fdb_error_predicate tests */
enum {
	FDB_SIM_PREDICATE_RETRYABLE = 50000,
	FDB_SIM_PREDICATE_MAYBE_COMMITTED = 50001,
	FDB_SIM_PREDICATE_RETRYABLE_NOT_COMMITTED = 50002
};

/* FDBStreamingMode */
enum {
	FDB_SIM_STREAMING_MODE_WANT_ALL = -2,
	FDB_SIM_STREAMING_MODE_ITERATOR = -1,
	FDB_SIM_STREAMING_MODE_EXACT = 0,
	FDB_SIM_STREAMING_MODE_SMALL = 1,
	FDB_SIM_STREAMING_MODE_MEDIUM = 2,
	FDB_SIM_STREAMING_MODE_LARGE = 3,
	FDB_SIM_STREAMING_MODE_SERIAL = 4
};

/* FDBMutationType (the ones the double applies) */
enum {
	FDB_SIM_MUTATION_ADD = 2,
	FDB_SIM_MUTATION_BIT_AND = 6,
	FDB_SIM_MUTATION_BIT_OR = 7,
	FDB_SIM_MUTATION_BIT_XOR = 8,
	FDB_SIM_MUTATION_APPEND_IF_FITS = 9,
	FDB_SIM_MUTATION_MAX = 12,
	FDB_SIM_MUTATION_MIN = 13,
	FDB_SIM_MUTATION_SET_VERSIONSTAMPED_KEY = 14,
	FDB_SIM_MUTATION_SET_VERSIONSTAMPED_VALUE = 15,
	FDB_SIM_MUTATION_BYTE_MIN = 16,
	FDB_SIM_MUTATION_BYTE_MAX = 17,
	FDB_SIM_MUTATION_COMPARE_AND_CLEAR = 20
};

/* FDBConflictRangeType */
enum { FDB_SIM_CONFLICT_RANGE_TYPE_READ = 0, FDB_SIM_CONFLICT_RANGE_TYPE_WRITE = 1 };

/* Option codes the double acts on; every other code is accepted and ignored. */
enum {
	FDB_SIM_DB_OPTION_MAX_WATCHES = 20,
	FDB_SIM_DB_OPTION_SNAPSHOT_RYW_ENABLE = 26,
	FDB_SIM_DB_OPTION_SNAPSHOT_RYW_DISABLE = 27,
	FDB_SIM_DB_OPTION_TRANSACTION_TIMEOUT = 500,
	FDB_SIM_DB_OPTION_TRANSACTION_RETRY_LIMIT = 501,
	FDB_SIM_DB_OPTION_TRANSACTION_MAX_RETRY_DELAY = 502,
	FDB_SIM_DB_OPTION_TRANSACTION_SIZE_LIMIT = 503,
	FDB_SIM_DB_OPTION_TRANSACTION_AUTOMATIC_IDEMPOTENCY = 506
};
enum {
	FDB_SIM_TR_OPTION_NEXT_WRITE_NO_WRITE_CONFLICT_RANGE = 30,
	FDB_SIM_TR_OPTION_READ_YOUR_WRITES_DISABLE = 51,
	FDB_SIM_TR_OPTION_PRIORITY_BATCH = 201,
	FDB_SIM_TR_OPTION_ACCESS_SYSTEM_KEYS = 301,
	FDB_SIM_TR_OPTION_READ_SYSTEM_KEYS = 302,
	FDB_SIM_TR_OPTION_TIMEOUT = 500,
	FDB_SIM_TR_OPTION_RETRY_LIMIT = 501,
	FDB_SIM_TR_OPTION_MAX_RETRY_DELAY = 502,
	FDB_SIM_TR_OPTION_SIZE_LIMIT = 503,
	FDB_SIM_TR_OPTION_AUTOMATIC_IDEMPOTENCY = 505,
	FDB_SIM_TR_OPTION_SNAPSHOT_RYW_ENABLE = 600,
	FDB_SIM_TR_OPTION_SNAPSHOT_RYW_DISABLE = 601
};

/* ---- errors ---- */
FDB_SIM_EXPORT const char* fdb_get_error(fdb_error_t code);
FDB_SIM_EXPORT fdb_bool_t fdb_error_predicate(int predicate_test, fdb_error_t code);

/* ---- API version and network ---- */
FDB_SIM_EXPORT fdb_error_t fdb_select_api_version_impl(int runtime_version, int header_version);
FDB_SIM_EXPORT int fdb_get_max_api_version(void);
FDB_SIM_EXPORT const char* fdb_get_client_version(void);
FDB_SIM_EXPORT fdb_error_t fdb_network_set_option(int option, uint8_t const* value, int value_length);
FDB_SIM_EXPORT fdb_error_t fdb_setup_network(void);
FDB_SIM_EXPORT fdb_error_t fdb_run_network(void);
FDB_SIM_EXPORT fdb_error_t fdb_stop_network(void);
FDB_SIM_EXPORT fdb_error_t fdb_add_network_thread_completion_hook(void (*hook)(void*), void* hook_parameter);

/* ---- futures ---- */
FDB_SIM_EXPORT void fdb_future_cancel(FDBFuture* f);
FDB_SIM_EXPORT void fdb_future_release_memory(FDBFuture* f);
FDB_SIM_EXPORT void fdb_future_destroy(FDBFuture* f);
FDB_SIM_EXPORT fdb_error_t fdb_future_block_until_ready(FDBFuture* f);
FDB_SIM_EXPORT fdb_bool_t fdb_future_is_ready(FDBFuture* f);
FDB_SIM_EXPORT fdb_error_t fdb_future_set_callback(FDBFuture* f, FDBCallback callback, void* callback_parameter);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_error(FDBFuture* f);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_bool(FDBFuture* f, fdb_bool_t* out);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_int64(FDBFuture* f, int64_t* out);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_uint64(FDBFuture* f, uint64_t* out);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_double(FDBFuture* f, double* out);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_key(FDBFuture* f, uint8_t const** out_key, int* out_key_length);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_value(FDBFuture* f,
                                                fdb_bool_t* out_present,
                                                uint8_t const** out_value,
                                                int* out_value_length);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_keyvalue_array(FDBFuture* f,
                                                         FDBKeyValue const** out_kv,
                                                         int* out_count,
                                                         fdb_bool_t* out_more);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_key_array(FDBFuture* f, FDBKey const** out_key_array, int* out_count);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_string_array(FDBFuture* f, const char*** out_strings, int* out_count);
FDB_SIM_EXPORT fdb_error_t fdb_future_get_keyrange_array(FDBFuture* f, FDBKeyRange const** out_ranges, int* out_count);

/* ---- database ---- */
FDB_SIM_EXPORT fdb_error_t fdb_create_database(const char* cluster_file_path, FDBDatabase** out_database);
FDB_SIM_EXPORT void fdb_database_destroy(FDBDatabase* d);
FDB_SIM_EXPORT fdb_error_t fdb_database_set_option(FDBDatabase* d, int option, uint8_t const* value, int value_length);
FDB_SIM_EXPORT fdb_error_t fdb_database_create_transaction(FDBDatabase* d, FDBTransaction** out_transaction);

/* ---- transaction ---- */
FDB_SIM_EXPORT void fdb_transaction_destroy(FDBTransaction* tr);
FDB_SIM_EXPORT void fdb_transaction_cancel(FDBTransaction* tr);
FDB_SIM_EXPORT fdb_error_t fdb_transaction_set_option(FDBTransaction* tr,
                                                      int option,
                                                      uint8_t const* value,
                                                      int value_length);
FDB_SIM_EXPORT void fdb_transaction_set_read_version(FDBTransaction* tr, int64_t version);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_read_version(FDBTransaction* tr);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get(FDBTransaction* tr,
                                              uint8_t const* key_name,
                                              int key_name_length,
                                              fdb_bool_t snapshot);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_key(FDBTransaction* tr,
                                                  uint8_t const* key_name,
                                                  int key_name_length,
                                                  fdb_bool_t or_equal,
                                                  int offset,
                                                  fdb_bool_t snapshot);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_addresses_for_key(FDBTransaction* tr,
                                                                uint8_t const* key_name,
                                                                int key_name_length);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_range(FDBTransaction* tr,
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
                                                    fdb_bool_t reverse);
FDB_SIM_EXPORT void fdb_transaction_set(FDBTransaction* tr,
                                        uint8_t const* key_name,
                                        int key_name_length,
                                        uint8_t const* value,
                                        int value_length);
FDB_SIM_EXPORT void fdb_transaction_atomic_op(FDBTransaction* tr,
                                              uint8_t const* key_name,
                                              int key_name_length,
                                              uint8_t const* param,
                                              int param_length,
                                              int operation_type);
FDB_SIM_EXPORT void fdb_transaction_clear(FDBTransaction* tr, uint8_t const* key_name, int key_name_length);
FDB_SIM_EXPORT void fdb_transaction_clear_range(FDBTransaction* tr,
                                                uint8_t const* begin_key_name,
                                                int begin_key_name_length,
                                                uint8_t const* end_key_name,
                                                int end_key_name_length);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_watch(FDBTransaction* tr, uint8_t const* key_name, int key_name_length);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_commit(FDBTransaction* tr);
FDB_SIM_EXPORT fdb_error_t fdb_transaction_get_committed_version(FDBTransaction* tr, int64_t* out_version);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_approximate_size(FDBTransaction* tr);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_versionstamp(FDBTransaction* tr);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_on_error(FDBTransaction* tr, fdb_error_t error);
FDB_SIM_EXPORT void fdb_transaction_reset(FDBTransaction* tr);
FDB_SIM_EXPORT fdb_error_t fdb_transaction_add_conflict_range(FDBTransaction* tr,
                                                              uint8_t const* begin_key_name,
                                                              int begin_key_name_length,
                                                              uint8_t const* end_key_name,
                                                              int end_key_name_length,
                                                              int type);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_estimated_range_size_bytes(FDBTransaction* tr,
                                                                         uint8_t const* begin_key_name,
                                                                         int begin_key_name_length,
                                                                         uint8_t const* end_key_name,
                                                                         int end_key_name_length);
FDB_SIM_EXPORT FDBFuture* fdb_transaction_get_range_split_points(FDBTransaction* tr,
                                                                 uint8_t const* begin_key_name,
                                                                 int begin_key_name_length,
                                                                 uint8_t const* end_key_name,
                                                                 int end_key_name_length,
                                                                 int64_t chunk_size);

/* ---- extras of the double (not in FoundationDB) ---- */

/* Counter indexes for fdb_sim_stats; names as in fdb_sim_stats_json. */
enum {
	FDB_SIM_STAT_COMMITS = 0,            /* commits that applied writes */
	FDB_SIM_STAT_READ_ONLY_COMMITS,      /* commits with nothing to write */
	FDB_SIM_STAT_CONFLICTS,              /* natural 1020 not_committed */
	FDB_SIM_STAT_TOO_OLD,                /* natural 1007 on reads or commits */
	FDB_SIM_STAT_INJECTED,               /* all injected faults */
	FDB_SIM_STAT_INJECTED_NOT_COMMITTED, /* injected 1020 */
	FDB_SIM_STAT_INJECTED_UNKNOWN_APPLIED,     /* injected 1021, writes applied */
	FDB_SIM_STAT_INJECTED_UNKNOWN_NOT_APPLIED, /* injected 1021, writes dropped */
	FDB_SIM_STAT_INJECTED_TOO_OLD,       /* injected 1007 at commit */
	FDB_SIM_STAT_INJECTED_OTHER,         /* other injected commit codes */
	FDB_SIM_STAT_INJECTED_READ,          /* injected read errors */
	FDB_SIM_STAT_IDEMPOTENCY_RESOLVED,   /* unknown results resolved by automatic_idempotency */
	FDB_SIM_STAT_RETRIES,                /* on_error calls that retried */
	FDB_SIM_STAT_ON_ERROR_GAVE_UP,       /* on_error calls that returned the error */
	FDB_SIM_STAT_WATCHES_FIRED,
	FDB_SIM_STAT_TIMEOUTS,               /* 1031 transaction_timed_out */
	FDB_SIM_STAT_VERSION,                /* current committed version */
	FDB_SIM_STAT_LIVE_FUTURES,           /* created and not yet destroyed */
	FDB_SIM_STAT_LIVE_TRANSACTIONS,
	FDB_SIM_STAT_LIVE_DATABASES,
	FDB_SIM_STAT_KEYS,                   /* live keys at the current version */
	FDB_SIM_STAT_COUNT
};

/* Copies up to `capacity` counters into `out`; returns FDB_SIM_STAT_COUNT. */
FDB_SIM_EXPORT int fdb_sim_stats(int64_t* out, int capacity);
/* The counters as one JSON object (a per-thread buffer, valid until the next call on that thread). */
FDB_SIM_EXPORT const char* fdb_sim_stats_json(void);
/* Sets one setting by its environment variable name (e.g. "FDB_SIM_FAULT_RATE", "0.1") at run time;
 * returns 0, or 2006 invalid_option_value / 2007 invalid_option. */
FDB_SIM_EXPORT fdb_error_t fdb_sim_configure(const char* name, const char* value);
/* Deletes every key (a new empty database); versions keep increasing. */
FDB_SIM_EXPORT void fdb_sim_wipe(void);

#ifdef __cplusplus
}
#endif

#endif
