// HPROF record tags, heap-dump sub-record tags and basic types, as OpenJDK's heapDumper.cpp
// documents them, plus the Android (ART/Dalvik, "JAVA PROFILE 1.0.3") additions.

// ----- top-level records: u1 tag, u4 microseconds since the header's time, u4 body length -----
export const TAG_UTF8 = 0x01;
export const TAG_LOAD_CLASS = 0x02;
export const TAG_UNLOAD_CLASS = 0x03;
export const TAG_STACK_FRAME = 0x04;
export const TAG_STACK_TRACE = 0x05;
export const TAG_ALLOC_SITES = 0x06;
export const TAG_HEAP_SUMMARY = 0x07;
export const TAG_START_THREAD = 0x0a;
export const TAG_END_THREAD = 0x0b;
export const TAG_HEAP_DUMP = 0x0c;
export const TAG_CPU_SAMPLES = 0x0d;
export const TAG_CONTROL_SETTINGS = 0x0e;
export const TAG_HEAP_DUMP_SEGMENT = 0x1c;
export const TAG_HEAP_DUMP_END = 0x2c;

export const RECORD_NAMES: Readonly<Record<number, string>> = {
  [TAG_UTF8]: 'STRING',
  [TAG_LOAD_CLASS]: 'LOAD_CLASS',
  [TAG_UNLOAD_CLASS]: 'UNLOAD_CLASS',
  [TAG_STACK_FRAME]: 'STACK_FRAME',
  [TAG_STACK_TRACE]: 'STACK_TRACE',
  [TAG_ALLOC_SITES]: 'ALLOC_SITES',
  [TAG_HEAP_SUMMARY]: 'HEAP_SUMMARY',
  [TAG_START_THREAD]: 'START_THREAD',
  [TAG_END_THREAD]: 'END_THREAD',
  [TAG_HEAP_DUMP]: 'HEAP_DUMP',
  [TAG_CPU_SAMPLES]: 'CPU_SAMPLES',
  [TAG_CONTROL_SETTINGS]: 'CONTROL_SETTINGS',
  [TAG_HEAP_DUMP_SEGMENT]: 'HEAP_DUMP_SEGMENT',
  [TAG_HEAP_DUMP_END]: 'HEAP_DUMP_END',
};

// ----- heap dump sub-records: u1 tag, then a body whose length follows from the tag -----
export const SUB_ROOT_UNKNOWN = 0xff;
export const SUB_ROOT_JNI_GLOBAL = 0x01;
export const SUB_ROOT_JNI_LOCAL = 0x02;
export const SUB_ROOT_JAVA_FRAME = 0x03;
export const SUB_ROOT_NATIVE_STACK = 0x04;
export const SUB_ROOT_STICKY_CLASS = 0x05;
export const SUB_ROOT_THREAD_BLOCK = 0x06;
export const SUB_ROOT_MONITOR_USED = 0x07;
export const SUB_ROOT_THREAD_OBJECT = 0x08;
export const SUB_CLASS_DUMP = 0x20;
export const SUB_INSTANCE_DUMP = 0x21;
export const SUB_OBJECT_ARRAY_DUMP = 0x22;
export const SUB_PRIMITIVE_ARRAY_DUMP = 0x23;
// Android additions (hprof.cc in ART, hprof-conv).
export const SUB_HEAP_DUMP_INFO = 0xfe;
export const SUB_ROOT_INTERNED_STRING = 0x89;
export const SUB_ROOT_FINALIZING = 0x8a;
export const SUB_ROOT_DEBUGGER = 0x8b;
export const SUB_ROOT_REFERENCE_CLEANUP = 0x8c;
export const SUB_ROOT_VM_INTERNAL = 0x8d;
export const SUB_ROOT_JNI_MONITOR = 0x8e;
export const SUB_UNREACHABLE = 0x90;
export const SUB_PRIMITIVE_ARRAY_NODATA_DUMP = 0xc3;

export type RootKind =
  | 'unknown'
  | 'jni-global'
  | 'jni-local'
  | 'java-frame'
  | 'native-stack'
  | 'sticky-class'
  | 'thread-block'
  | 'monitor-used'
  | 'thread-object'
  | 'interned-string'
  | 'finalizing'
  | 'debugger'
  | 'reference-cleanup'
  | 'vm-internal'
  | 'jni-monitor';

/** GC root sub-records: their kind and the bytes after the object id (thread serials, frame numbers). */
export const ROOT_LAYOUTS: ReadonlyMap<number, { kind: RootKind; extra: 'none' | 'id' | 'u4' | 'u4u4' }> = new Map([
  [SUB_ROOT_UNKNOWN, { kind: 'unknown', extra: 'none' }],
  [SUB_ROOT_JNI_GLOBAL, { kind: 'jni-global', extra: 'id' }],
  [SUB_ROOT_JNI_LOCAL, { kind: 'jni-local', extra: 'u4u4' }],
  [SUB_ROOT_JAVA_FRAME, { kind: 'java-frame', extra: 'u4u4' }],
  [SUB_ROOT_NATIVE_STACK, { kind: 'native-stack', extra: 'u4' }],
  [SUB_ROOT_STICKY_CLASS, { kind: 'sticky-class', extra: 'none' }],
  [SUB_ROOT_THREAD_BLOCK, { kind: 'thread-block', extra: 'u4' }],
  [SUB_ROOT_MONITOR_USED, { kind: 'monitor-used', extra: 'none' }],
  [SUB_ROOT_THREAD_OBJECT, { kind: 'thread-object', extra: 'u4u4' }],
  [SUB_ROOT_INTERNED_STRING, { kind: 'interned-string', extra: 'none' }],
  [SUB_ROOT_FINALIZING, { kind: 'finalizing', extra: 'none' }],
  [SUB_ROOT_DEBUGGER, { kind: 'debugger', extra: 'none' }],
  [SUB_ROOT_REFERENCE_CLEANUP, { kind: 'reference-cleanup', extra: 'none' }],
  [SUB_ROOT_VM_INTERNAL, { kind: 'vm-internal', extra: 'none' }],
  // ART and Dalvik write a thread serial and a stack depth after the id (hprof-conv drops 8 bytes).
  [SUB_ROOT_JNI_MONITOR, { kind: 'jni-monitor', extra: 'u4u4' }],
]);

/** The order in which VisualVM's heap library lists roots: by kind, then in file order. */
export const ROOT_KIND_ORDER: readonly RootKind[] = [
  'unknown',
  'jni-global',
  'jni-local',
  'java-frame',
  'native-stack',
  'sticky-class',
  'thread-block',
  'monitor-used',
  'thread-object',
  'interned-string',
  'finalizing',
  'debugger',
  'reference-cleanup',
  'vm-internal',
  'jni-monitor',
];

// ----- basic types of fields and array elements -----
export const TYPE_OBJECT = 2;
export const TYPE_BOOLEAN = 4;
export const TYPE_CHAR = 5;
export const TYPE_FLOAT = 6;
export const TYPE_DOUBLE = 7;
export const TYPE_BYTE = 8;
export const TYPE_SHORT = 9;
export const TYPE_INT = 10;
export const TYPE_LONG = 11;

export const TYPE_NAMES: Readonly<Record<number, string>> = {
  [TYPE_OBJECT]: 'object',
  [TYPE_BOOLEAN]: 'boolean',
  [TYPE_CHAR]: 'char',
  [TYPE_FLOAT]: 'float',
  [TYPE_DOUBLE]: 'double',
  [TYPE_BYTE]: 'byte',
  [TYPE_SHORT]: 'short',
  [TYPE_INT]: 'int',
  [TYPE_LONG]: 'long',
};

/** Size in the dump of a value of `type` (object references take the identifier size); 0 if unknown. */
export function valueSize(type: number, idSize: number): number {
  switch (type) {
    case TYPE_OBJECT:
      return idSize;
    case TYPE_BOOLEAN:
    case TYPE_BYTE:
      return 1;
    case TYPE_CHAR:
    case TYPE_SHORT:
      return 2;
    case TYPE_FLOAT:
    case TYPE_INT:
      return 4;
    case TYPE_DOUBLE:
    case TYPE_LONG:
      return 8;
    default:
      return 0;
  }
}

/** Java source name of a primitive array's element type ("byte" for a byte[]). */
export function primitiveTypeName(type: number): string | undefined {
  return type === TYPE_OBJECT ? undefined : TYPE_NAMES[type];
}
