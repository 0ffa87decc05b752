// The indexes the event views use (declared with the events table, schema/events.ts). The scap
// ingester drops four of them while it loads a capture's events and builds them again at its end:
// one sort per index costs far less than keeping four B-trees up to date row by row. events_by_time
// it keeps: libscap writes events in time order, so each entry lands at the index's end (on the
// 1 GiB benchmark capture that cost less than its sort, docs/benchmarks.md), and the overview
// rollup, which needs only it, is computed while the others build (index-writer.ts).

import { createIndexSql } from '../../index/schema/declaration';
import { EVENTS_TABLE } from './schema/events';

const INDEXES = EVENTS_TABLE.indexes ?? [];

export const EVENT_TIME_INDEX_NAME = 'events_by_time';
export const EVENT_VIEW_INDEX_NAMES = INDEXES.map((i) => i.name);

// IF NOT EXISTS, as the writer has always built them: the time index, kept during the load, is
// built only where it was missing (a case whose earlier ingest stopped between dropping and
// building it).
const build = (i: (typeof INDEXES)[number]) => `${createIndexSql(EVENTS_TABLE.name, i, { ifNotExists: true })};`;

const timeIndex = INDEXES.find((i) => i.name === EVENT_TIME_INDEX_NAME);
if (!timeIndex) throw new Error(`the events table declares no ${EVENT_TIME_INDEX_NAME}`);

export const EVENT_TIME_INDEX = build(timeIndex);
export const EVENT_OTHER_VIEW_INDEXES = INDEXES.filter((i) => i !== timeIndex).map(build).join('\n');
