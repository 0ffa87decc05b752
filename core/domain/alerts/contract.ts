// The alerts domain: security alerts from Falco rules over a case's syscall events, grouped by
// rule. The default rules' alerts were raised at ingest; rules files the person opens are run on
// request. Types only, like every contract: the browser bundle imports this file.

/** One alert, as Falco printed it, with the event that raised it. */
export interface AlertRow {
  /** ns since the epoch, as a decimal string. */
  ts: string;
  output: string;
  /** The event's evt.num (capscope events), its process and container. */
  evtNum: number;
  pid: number | null;
  containerId: string | null;
  /** The stream of the event's fd, where it carried I/O. */
  streamId: number | null;
}

export interface AlertGroup {
  rule: string;
  priority: string;
  tags: string[];
  count: number;
  /** The first alerts of the rule (up to the request's `perRule`). */
  alerts: AlertRow[];
}

/** A fault in a rules file: one line's worth, where it is and what was expected. */
export interface RulesFault {
  file: string;
  line: number;
  column: number;
  item: string | null;
  message: string;
}

export interface AlertsResult {
  /** Most severe rule first. */
  groups: AlertGroup[];
  total: number;
  skipped: { rule: string; reason: string }[];
  faults: RulesFault[];
}

export interface AlertsMethods {
  /**
   * Alerts grouped by rule: the default rules' (stored at ingest) without `rules`; with `rules`,
   * those files (name and text, in order, replacing the default set) run now over the index.
   */
  'alerts.list': { req: { caseId: string; rules?: { name: string; text: string }[]; perRule?: number }; res: AlertsResult };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const ALERTS_METHOD_NAMES: Record<keyof AlertsMethods, true> = {
  'alerts.list': true,
};
