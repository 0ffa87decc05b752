// The Falco analysis's tables: the alerts the default rules raised over the capture at ingest (so
// reopening a case shows them at once), and the rules it could not run, with why.

import type { TableDeclaration } from '../../index/schema/declaration';

const falcoAlerts: TableDeclaration = {
  name: 'falco_alerts',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order of the events that raised them'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['evt_num', 'INTEGER NOT NULL', "the event's evt.num"],
    ['ts', 'INTEGER NOT NULL', "the event's time, ns since the epoch"],
    ['rule', 'TEXT NOT NULL', "the rule's name"],
    ['priority', 'TEXT NOT NULL', "Falco's priority: Emergency ... Debug"],
    ['output', 'TEXT NOT NULL', 'as Falco prints it: time, priority, the formatted output'],
    ['output_fields', 'TEXT NOT NULL', 'JSON {field: value or null}'],
    ['tags', 'TEXT NOT NULL', 'JSON [tag]'],
    ['evt', 'TEXT NOT NULL', 'JSON {num, type, dir, tid, pid, containerId, fd, fdName}'],
    ['stream_id', 'INTEGER', "the stream of the event's fd, where it carried I/O"],
  ],
  indexes: [{ name: 'falco_alerts_by_rule', columns: 'rule' }],
};

const falcoSkipped: TableDeclaration = {
  name: 'falco_skipped',
  columns: [
    ['rule', 'TEXT NOT NULL', 'a rule of the set that did not run'],
    ['reason', 'TEXT NOT NULL', "why: 'field k8s.deployment.name not supported'"],
  ],
};

export const FALCO_TABLES: readonly TableDeclaration[] = [falcoAlerts, falcoSkipped];
