// Writes one syscall either as sysdig 0.29's enter/exit pair or as the single extended exit of
// current libs (enter events off, or libs' savefile converter): the exit's old params with the
// enter's params appended, as driver/event_table.c lays them out at libs HEAD.

import { RAW_EVENTS } from '../../../core/formats/scap/parser/event-table-data';
import libsTable from '../../../core/formats/scap/parser/gen/libs-event-table.json';
import type { ScapWriter } from '../../helpers/scap-writer';

const BY_ENUM = new Map<string, number>((libsTable as { events: { enumName: string }[] }).events.map((e, i) => [e.enumName, i]));

/** The event number of a PPME_* name of libs' ppm_events_public.h. */
export function ppme(enumName: string): number {
  const t = BY_ENUM.get(enumName);
  if (t === undefined || !RAW_EVENTS[t]) throw new Error(`no event ${enumName}`);
  return t;
}

export type CallForm = 'pair' | 'exit';

export interface Call {
  /** The exit's PPME_*_X name; its enter is the event before it. */
  exit: string;
  tid: number;
  enter: Uint8Array[];
  /** The exit's params as sysdig 0.29 wrote them (the pair's exit). */
  oldExit: Uint8Array[];
  /** What current libs append to the exit: the enter's params, in the exit's order. */
  appended: Uint8Array[];
}

/** Writes the call in the form asked for; the enter (if any) 1 µs before `ts`, the exit at `ts`. */
export function writeCall(w: ScapWriter, call: Call, form: CallForm, ts: bigint): void {
  const x = ppme(call.exit);
  const expected = RAW_EVENTS[x]![3].length;
  if (call.oldExit.length + call.appended.length !== expected) throw new Error(`${call.exit}: ${call.oldExit.length} + ${call.appended.length} params, the table has ${expected}`);
  if (form === 'pair') {
    w.event({ type: x - 1, tid: call.tid, ts: ts - 1000n, params: call.enter });
    w.event({ type: x, tid: call.tid, ts, params: call.oldExit });
  } else w.event({ type: x, tid: call.tid, ts, params: [...call.oldExit, ...call.appended] });
}
