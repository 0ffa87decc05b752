// The HPROF file header (OpenJDK src/hotspot/share/services/heapDumper.cpp): a NUL-terminated
// version string, then u4 identifier size and u8 milliseconds since the epoch, big-endian.

export const HPROF_VERSIONS = ['JAVA PROFILE 1.0.1', 'JAVA PROFILE 1.0.2', 'JAVA PROFILE 1.0.3'] as const;
export type HprofVersion = (typeof HPROF_VERSIONS)[number];

/** Every HPROF header starts with this; the version follows. */
export const HPROF_PREFIX = 'JAVA PROFILE ';
