// The events Falco runs its rules on. Falco is a "simple consumer" of libsinsp unless run with -A:
// it skips the event types flagged EF_DROP_SIMPLE_CONS (read, write, close, fstat, the procinfo
// metaevent, ...) and those flagged EF_UNUSED, so a rule without an event type never fires on them.
// Its regression counts depend on it (catchall_order: an open of /dev/null raises one alert, not
// seven, though cat reads and closes it too).

import { EF, EVENT_TYPE_COUNT, eventInfo } from '../../formats/scap/parser/event-table';

/**
 * The syscall enter events that have an exit event: Falco 0.42 and later no longer evaluate them
 * (libs merged them into their exits). Enter-only events (procexit, signaldeliver) and the
 * metaevents (container, ...) stay.
 */
export function pairedEnterEventTypes(): number[] {
  const types: number[] = [];
  for (let t = 0; t + 1 < EVENT_TYPE_COUNT; t += 2) {
    const enter = eventInfo(t)!;
    const exit = eventInfo(t + 1)!;
    if (enter.source === 'syscall' && (exit.flags & EF.UNUSED) === 0 && exit.source === 'syscall') types.push(t);
  }
  return types;
}

/** The event type numbers Falco does not evaluate: as a simple consumer, or with -A (`allEvents`). */
export function skippedEventTypes(allEvents: boolean): number[] {
  const skipped: number[] = [];
  const mask = EF.UNUSED | (allEvents ? 0 : EF.DROP_SIMPLE_CONS);
  for (let t = 0; t < EVENT_TYPE_COUNT; t++) if ((eventInfo(t)!.flags & mask) !== 0) skipped.push(t);
  return skipped;
}
