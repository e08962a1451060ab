// The Redis version whose behaviour we reproduce and advertise (HELLO, INFO).
// Our differential tests run against Debian's redis-server of the same line.
export const COMPATIBLE_REDIS_VERSION = "7.0.15";
