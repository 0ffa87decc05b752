// Which events are the machine's activity, in SQL. A capture also holds the capture framework's own
// records (libs' metaevents: container metadata, process info, drops, the container plugin's async
// events), and a 2017 kubectl capture stamps its container metadata with time 0: taken for
// activity, that would stretch the capture from 1970. They still count as events; they only do
// not say when the capture ran.

import { metaEventTypes } from '../parser/event-table';

const META = metaEventTypes().join(', ');

/** An events row (alias `e`, or none) that is activity: a real time, and not a metaevent. */
export function activityEvent(alias = 'e'): string {
  const a = alias ? `${alias}.` : '';
  return `(${a}ts > 0 AND ${a}event_type NOT IN (${META}))`;
}
