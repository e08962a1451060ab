/*
 * fdb_get_error and fdb_error_predicate: FoundationDB's error codes with
 * their descriptions (api-error-codes.html, error_definitions.h of 7.3), and
 * the predicate classes of fdb_c (RETRYABLE = MAYBE_COMMITTED or
 * RETRYABLE_NOT_COMMITTED).
 */
#include <stddef.h>

#include "internal.h"

typedef struct {
	int code;
	const char* text;
} err_text;

static const err_text ERRORS[] = {
	{ 0, "Success" },
	{ 1, "End of stream" },
	{ 1000, "Operation failed" },
	{ 1001, "Shard is not available from this server" },
	{ 1002, "Operation result no longer necessary" },
	{ 1003, "Cache server is not warm for this range" },
	{ 1004, "Operation timed out" },
	{ 1005, "Conflict occurred while changing coordination information" },
	{ 1006, "All alternatives failed" },
	{ 1007, "Transaction is too old to perform reads or be committed" },
	{ 1008, "Not enough physical servers available" },
	{ 1009, "Request for future version" },
	{ 1010, "Conflicting attempts to change data distribution" },
	{ 1011, "TLog stopped" },
	{ 1012, "Server request queue is full" },
	{ 1020, "Transaction not committed due to conflict with another transaction" },
	{ 1021, "Transaction may or may not have committed" },
	{ 1022, "Idempotency id for transaction may have expired, so the commit status of the transaction cannot be determined" },
	{ 1025, "Operation aborted because the transaction was cancelled" },
	{ 1026, "Network connection failed" },
	{ 1027, "Coordination servers have changed" },
	{ 1028, "New coordination servers did not respond in a timely way" },
	{ 1029, "Watch cancelled because storage server watch limit exceeded" },
	{ 1030, "Request may or may not have been delivered" },
	{ 1031, "Operation aborted because the transaction timed out" },
	{ 1032, "Too many watches currently set" },
	{ 1033, "Locality information not available" },
	{ 1034, "Watches cannot be set if read your writes is disabled" },
	{ 1035, "Default error for an ErrorOr object" },
	{ 1036, "Read or wrote an unreadable key" },
	{ 1037, "Storage process does not have recent mutations" },
	{ 1038, "Database is locked" },
	{ 1039, "The protocol version of the cluster has changed" },
	{ 1040, "External client has already been loaded" },
	{ 1041, "DNS lookup failed" },
	{ 1042, "CommitProxy commit memory limit exceeded" },
	{ 1043, "Operation no longer supported due to shutdown" },
	{ 1044, "Failed to deserialize an object" },
	{ 1048, "No peer references for connection" },
	{ 1049, "Connection closed after idle timeout" },
	{ 1050, "The disk queue adpater reset" },
	{ 1051, "Batch GRV request rate limit exceeded" },
	{ 1052, "Data distribution components cancelled" },
	{ 1053, "Data distributor not found" },
	{ 1054, "Connection file mismatch" },
	{ 1055, "The requested changes have been compacted away" },
	{ 1056, "Local configuration file has changed. Restart and apply these changes" },
	{ 1057, "Failed to reach quorum from configuration database nodes. Retry sending these requests" },
	{ 1058, "Format version not supported" },
	{ 1059, "Change feed not found" },
	{ 1060, "Change feed not registered" },
	{ 1061, "Conflicting attempts to assign blob granules" },
	{ 1062, "Change feed was cancelled" },
	{ 1063, "Error loading a blob file during granule materialization" },
	{ 1064, "Read version is older than blob granule history supports" },
	{ 1065, "This blob manager has been replaced." },
	{ 1066, "Tried to read a version older than what has been popped from the change feed" },
	{ 1067, "The remote key-value store is cancelled" },
	{ 1068, "Page header does not match location on disk" },
	{ 1069, "Page header checksum failed" },
	{ 1070, "Page header version is not supported" },
	{ 1071, "Page encoding type is not supported or not valid" },
	{ 1072, "Page content decoding failed" },
	{ 1073, "Page content decoding failed" },
	{ 1074, "Encryption key not found" },
	{ 1075, "Data move was cancelled" },
	{ 1076, "Dest team was not found for data move" },
	{ 1077, "Blob worker cannot take on more granule assignments" },
	{ 1078, "GetReadVersion proxy memory limit exceeded" },
	{ 1079, "BlobGranule request failed" },
	{ 1080, "Too many feed streams to a single storage server" },
	{ 1081, "Storage engine was never successfully initialized." },
	{ 1082, "Storage engine type is not recognized." },
	{ 1083, "A duplicate snapshot request has been sent, the old request is discarded." },
	{ 1084, "DataDistribution configuration changed." },
	{ 1100, "Broken promise" },
	{ 1101, "Asynchronous operation cancelled" },
	{ 1102, "Future has been released" },
	{ 1103, "Connection object leaked" },
	{ 1104, "Never reply to the request" },
	{ 1105, "Retry operation" },
	{ 1200, "Recruitment of a server failed" },
	{ 1201, "Attempt to move keys to a storage server that was removed" },
	{ 1202, "Normal worker shut down" },
	{ 1203, "Cluster recovery failed" },
	{ 1204, "Master hit maximum number of versions in flight" },
	{ 1205, "Cluster recovery terminating because a TLog failed" },
	{ 1206, "Recovery of a worker process failed" },
	{ 1207, "Reboot of server process requested" },
	{ 1208, "Reboot of server process requested, with deletion of state" },
	{ 1209, "Master terminating because a CommitProxy failed" },
	{ 1210, "Cluster recovery terminating because a Resolver failed" },
	{ 1211, "Server is under too much load and cannot respond" },
	{ 1212, "Cluster recovery terminating because a backup worker failed" },
	{ 1213, "Transaction tag is being throttled" },
	{ 1214, "Cluster recovery terminating because a GRVProxy failed" },
	{ 1215, "The data distribution tracker has been cancelled" },
	{ 1216, "Process has failed to make sufficient progress" },
	{ 1217, "Attempted to join cluster with a different cluster ID" },
	{ 1218, "Restart cluster controller process" },
	{ 1219, "Need to reboot the storage engine" },
	{ 1220, "Current software does not support database format" },
	{ 1221, "Validate storage consistency operation failed" },
	{ 1222, "Exceeded the max number of allowed concurrent audit storage requests" },
	{ 1223, "Exceeded maximum proxy tag throttling duration" },
	{ 1224, "Exceeded maximum time allowed to read or write." },
	{ 1225, "Exceeded the maximum storage quota allocated to the tenant." },
	{ 1235, "Transaction throttled due to hot shard" },
	{ 1500, "Platform error" },
	{ 1501, "Large block allocation failed" },
	{ 1502, "QueryPerformanceCounter error" },
	{ 1503, "Null allocator was used to allocate memory" },
	{ 1510, "Disk i/o operation failed" },
	{ 1511, "File not found" },
	{ 1512, "Unable to bind to network" },
	{ 1513, "File could not be read" },
	{ 1514, "File could not be written" },
	{ 1515, "No cluster file found in current directory or default location" },
	{ 1516, "File too large to be read" },
	{ 1517, "Non sequential file operation not allowed" },
	{ 1518, "HTTP response was badly formed" },
	{ 1519, "HTTP request not accepted" },
	{ 1520, "A data checksum failed" },
	{ 1521, "A disk IO operation failed to complete in a timely manner" },
	{ 1522, "A structurally corrupt data file was detected" },
	{ 1523, "HTTP response code not received or indicated failure" },
	{ 1524, "HTTP request failed due to bad credentials" },
	{ 1525, "HTTP response contained an unexpected X-Request-ID header" },
	{ 2000, "Invalid API call" },
	{ 2002, "Commit with incomplete read" },
	{ 2003, "Invalid test specification" },
	{ 2004, "Key outside legal range" },
	{ 2005, "Range begin key larger than end key" },
	{ 2006, "Option set with an invalid value" },
	{ 2007, "Option not valid in this context" },
	{ 2008, "Action not possible before the network is configured" },
	{ 2009, "Network can be configured only once" },
	{ 2010, "Transaction already has a read version set" },
	{ 2011, "Version not valid" },
	{ 2012, "Range limits not valid" },
	{ 2013, "Database name must be 'DB'" },
	{ 2014, "Attribute not found" },
	{ 2015, "Future not ready" },
	{ 2016, "Future not an error" },
	{ 2017, "Operation issued while a commit was outstanding" },
	{ 2018, "Unrecognized atomic mutation type" },
	{ 2019, "Attribute too large for type int" },
	{ 2020, "Transaction does not have a valid commit version" },
	{ 2021, "Transaction is read-only and therefore does not have a commit version" },
	{ 2022, "Environment variable network option could not be set" },
	{ 2023, "Attempted to commit a transaction specified as read-only" },
	{ 2024, "Invalid cache eviction policy, only random and lru are supported" },
	{ 2025, "Network can only be started once" },
	{ 2026, "Detected a deadlock in a callback called from the network thread" },
	{ 2100, "Incompatible protocol version" },
	{ 2101, "Transaction exceeds byte limit" },
	{ 2102, "Key length exceeds limit" },
	{ 2103, "Value length exceeds limit" },
	{ 2104, "Connection string invalid" },
	{ 2105, "Local address in use" },
	{ 2106, "Invalid local address" },
	{ 2107, "TLS error" },
	{ 2108, "Operation is not supported" },
	{ 2109, "Too many tags set on transaction" },
	{ 2110, "Tag set on transaction is too long" },
	{ 2111, "Too many tag throttles have been created" },
	{ 2130, "Tenant name must be specified to access data in the cluster" },
	{ 2131, "Tenant does not exist" },
	{ 2200, "API version is not set" },
	{ 2201, "API version may be set only once" },
	{ 2202, "API version not valid" },
	{ 2203, "API version not supported" },
	{ 2204, "Failed to load a required FDB API function." },
	{ 2210, "EXACT streaming mode requires limits, but none were given" },
	{ 2250, "Unrecognized data type in packed tuple" },
	{ 2251, "Tuple does not have element at specified index" },
	{ 2252, "Cannot unpack key that is not in subspace" },
	{ 4000, "An unknown error occurred" },
	{ 4100, "An internal error occurred" },
	{ 4200, "Not implemented yet" },
	{ 6000, "Client tried to access unauthorized data" },
};

const char* fdb_get_error(fdb_error_t code) {
	size_t lo = 0, hi = sizeof(ERRORS) / sizeof(ERRORS[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ERRORS[mid].code == code) return ERRORS[mid].text;
		if (ERRORS[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* what FoundationDB's error table answers for a code it does not know */
	return "UNKNOWN_ERROR";
}

fdb_bool_t fdb_error_predicate(int predicate_test, fdb_error_t code) {
	switch (predicate_test) {
	case FDB_SIM_PREDICATE_RETRYABLE:
		return fdb_error_predicate(FDB_SIM_PREDICATE_MAYBE_COMMITTED, code) ||
		       fdb_error_predicate(FDB_SIM_PREDICATE_RETRYABLE_NOT_COMMITTED, code);
	case FDB_SIM_PREDICATE_MAYBE_COMMITTED:
		return code == E_COMMIT_UNKNOWN_RESULT || code == E_CLUSTER_VERSION_CHANGED;
	case FDB_SIM_PREDICATE_RETRYABLE_NOT_COMMITTED:
		return code == E_NOT_COMMITTED || code == E_TRANSACTION_TOO_OLD || code == E_FUTURE_VERSION ||
		       code == E_DATABASE_LOCKED || code == E_GRV_PROXY_MEMORY_LIMIT_EXCEEDED ||
		       code == E_COMMIT_PROXY_MEMORY_LIMIT_EXCEEDED || code == E_TRANSACTION_THROTTLED_HOT_SHARD ||
		       code == E_BATCH_TRANSACTION_THROTTLED || code == E_PROCESS_BEHIND || code == E_TAG_THROTTLED ||
		       code == E_PROXY_TAG_THROTTLED;
	default:
		return 0;
	}
}
