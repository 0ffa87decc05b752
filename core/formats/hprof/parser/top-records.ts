// Decoding of the top-level records other than heap dumps: each is read whole (they are small)
// and handed to the handler as a small object. A record shorter than its fields is reported and
// skipped.

import type { Diagnostic } from '../../../../common/diagnostics';
import { i32, u16, u32, u64 } from './bytes';
import {
  TAG_ALLOC_SITES,
  TAG_CONTROL_SETTINGS,
  TAG_CPU_SAMPLES,
  TAG_END_THREAD,
  TAG_HEAP_SUMMARY,
  TAG_LOAD_CLASS,
  TAG_STACK_FRAME,
  TAG_STACK_TRACE,
  TAG_START_THREAD,
  TAG_UNLOAD_CLASS,
  TAG_UTF8,
} from './constants';
import { HPROF_DIAGNOSTICS as D } from './diagnostics';
import type { IdReader } from './ids';
import type { HprofHandler } from './records';

/** Reports the first few of a kind (key) of problem, then counts the rest (DiagnosticCap.report). */
export type Report = (key: string, offset: number, make: () => Diagnostic) => void;

const utf8 = new TextDecoder('utf-8');

export function decodeTopRecord(tag: number, name: string, start: number, b: Uint8Array, p: number, length: number, ids: IdReader, h: HprofHandler, report: Report): void {
const id = ids.size;
const short = (expected: number): boolean => {
  if (length >= expected) return false;
  report(`short ${name} record`, start, () => D.emit('short-record', { record: name, offset: start, expected, length }));
  return true;
};
  switch (tag) {
    case TAG_UTF8:
      if (short(id)) return;
      h.string?.(ids.read(b, p), utf8.decode(b.subarray(p + id, p + length)));
      return;
    case TAG_LOAD_CLASS:
      if (short(8 + 2 * id)) return;
      h.loadClass?.(u32(b, p), ids.read(b, p + 4), u32(b, p + 4 + id), ids.read(b, p + 8 + id));
      return;
    case TAG_UNLOAD_CLASS:
      if (short(4)) return;
      h.unloadClass?.(u32(b, p));
      return;
    case TAG_STACK_FRAME:
      if (short(4 * id + 8)) return;
      h.stackFrame?.({
        frameId: ids.read(b, p),
        methodNameId: ids.read(b, p + id),
        signatureId: ids.read(b, p + 2 * id),
        sourceFileId: ids.read(b, p + 3 * id),
        classSerial: u32(b, p + 4 * id),
        line: i32(b, p + 4 * id + 4),
      });
      return;
    case TAG_STACK_TRACE: {
      if (short(12)) return;
      const frames = u32(b, p + 8);
      if (short(12 + frames * id)) return;
      const frameIds: number[] = [];
      for (let i = 0; i < frames; i++) frameIds.push(ids.read(b, p + 12 + i * id));
      h.stackTrace?.({ serial: u32(b, p), threadSerial: u32(b, p + 4), frameIds });
      return;
    }
    case TAG_ALLOC_SITES: {
      if (short(34)) return;
      const count = u32(b, p + 30);
      if (short(34 + count * 25)) return;
      const sites = [];
      for (let i = 0, q = p + 34; i < count; i++, q += 25) {
        sites.push({ isArray: b[q]!, classSerial: u32(b, q + 1), stackTraceSerial: u32(b, q + 5), liveBytes: u32(b, q + 9), liveInstances: u32(b, q + 13), allocatedBytes: u32(b, q + 17), allocatedInstances: u32(b, q + 21) });
      }
      h.allocSites?.({
        flags: u16(b, p),
        cutoffRatio: new DataView(b.buffer, b.byteOffset + p + 2, 4).getFloat32(0, false),
        liveBytes: u32(b, p + 6),
        liveInstances: u32(b, p + 10),
        allocatedBytes: u64(b, p + 14),
        allocatedInstances: u64(b, p + 22),
        sites,
      });
      return;
    }
    case TAG_HEAP_SUMMARY:
      if (short(24)) return;
      h.heapSummary?.({ liveBytes: u32(b, p), liveInstances: u32(b, p + 4), allocatedBytes: u64(b, p + 8), allocatedInstances: u64(b, p + 16) });
      return;
    case TAG_START_THREAD:
      if (short(8 + 4 * id)) return;
      h.startThread?.({
        threadSerial: u32(b, p),
        threadObjectId: ids.read(b, p + 4),
        stackTraceSerial: u32(b, p + 4 + id),
        nameId: ids.read(b, p + 8 + id),
        groupNameId: ids.read(b, p + 8 + 2 * id),
        groupParentNameId: ids.read(b, p + 8 + 3 * id),
      });
      return;
    case TAG_END_THREAD:
      if (short(4)) return;
      h.endThread?.(u32(b, p));
      return;
    case TAG_CPU_SAMPLES: {
      if (short(8)) return;
      const count = u32(b, p + 4);
      if (short(8 + count * 8)) return;
      const traces = [];
      for (let i = 0, q = p + 8; i < count; i++, q += 8) traces.push({ samples: u32(b, q), stackTraceSerial: u32(b, q + 4) });
      h.cpuSamples?.({ totalSamples: u32(b, p), traces });
      return;
    }
    case TAG_CONTROL_SETTINGS:
      if (short(6)) return;
      h.controlSettings?.(u32(b, p), u16(b, p + 4));
      return;
    default:
      return;
  }
}
