// The version a script reads as redis.REDIS_VERSION / REDIS_VERSION_NUM.
import { COMPATIBLE_REDIS_VERSION } from "../version.ts";

function versionNumber(text: string): number {
  const [major = 0, minor = 0, patch = 0] = text.split(".").map(Number);
  return (major << 16) | (minor << 8) | patch;
}

export const REDIS_VERSION_INFO = { text: COMPATIBLE_REDIS_VERSION, number: versionNumber(COMPATIBLE_REDIS_VERSION) } as const;
