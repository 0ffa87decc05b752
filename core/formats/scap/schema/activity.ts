// Which events are the machine's activity, in SQL. A capture also holds the capture framework's own
// records (libs' metaevents: container metadata, process info, drops, the container plugin's async
// events), and a 2017 kubectl capture stamps its container metadata with time 0: taken for
// activity, that would stretch the capture from 1970. They still count as events; they only do
// not say when the capture ran, nor that a process or container did anything. sysdig lists no
// metaevent among the system calls it prints (procinfo and drops are internal; the container
// records at the head of a file are read as its initial state), and counts a process or container
// by the events it prints: so does capscope (the threads table's `events` column holds the count).

import { metaEventTypes } from '../parser/event-table';

const META = metaEventTypes().join(', ');

/** An events row (alias `e`, or none) that is activity: a real time, and not a metaevent. */
export function activityEvent(alias = 'e'): string {
  const a = alias ? `${alias}.` : '';
  return `(${a}ts > 0 AND ${a}event_type NOT IN (${META}))`;
}

/** An events row that is not a metaevent: what the events table lists unless asked for metadata. */
export function notMetaEvent(alias = 'e'): string {
  const a = alias ? `${alias}.` : '';
  return `${a}event_type NOT IN (${META})`;
}

/** An activity event of a known process: what the Processes and Containers counts are made of. */
export function processActivity(alias = 'e'): string {
  const a = alias ? `${alias}.` : '';
  return `(${activityEvent(alias)} AND ${a}pid IS NOT NULL)`;
}
