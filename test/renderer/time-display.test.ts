// The case's time base (renderer/formatting/time-display.ts): a span that crosses midnight says
// both dates (the header "06:40:00 – 00:44:41" read as ending before it began), relative and
// delta times are exact to the capture's digits, and axis labels carry the date where it is not obvious.

import { describe, expect, it } from 'vitest';
import { fractionDigitsFor, formatInstant, formatSpan, timeAxis, timeDisplayFor, timeHeading } from '../../renderer/formatting/time-display';

const ns = (iso: string, fraction = 0n) => (BigInt(Date.parse(iso)) * 1_000_000n + fraction).toString();
const FROM = ns('2018-08-17T06:40:00Z', 123_456_789n);
const TO = ns('2018-08-18T00:44:41Z', 5_000n);
const TODAY = new Date('2026-12-07T12:00:00Z');

describe('time display', () => {
  it('gives both dates to a span that crosses midnight, and dates every time in it', () => {
    const d = timeDisplayFor({ from: FROM, to: TO }, 9, 'absolute', TODAY);
    expect(formatSpan(FROM, TO, d)).toBe('2018-08-17 06:40:00.123456789 – 2018-08-18 00:44:41.000005000 UTC');
    expect(formatInstant(TO, d)).toBe('2018-08-18 00:44:41.000005000');
    expect(timeHeading(d)).toBe('Time (UTC)');
  });

  it('gives the date once to a span of one day that is not today, and none to one of today', () => {
    const to = ns('2018-08-17T06:41:00Z');
    const old = timeDisplayFor({ from: FROM, to }, 6, 'absolute', TODAY);
    expect(formatSpan(FROM, to, old)).toBe('2018-08-17 06:40:00.123456 – 06:41:00.000000 UTC');
    expect(formatInstant(FROM, old)).toBe('06:40:00.123456');
    expect(timeHeading(old)).toBe('Time (2018-08-17)');
    const fresh = timeDisplayFor({ from: FROM, to }, 6, 'absolute', new Date('2018-08-17T20:00:00Z'));
    expect(formatSpan(FROM, to, fresh)).toBe('06:40:00.123456 – 06:41:00.000000 UTC');
  });

  it('counts relative times from the capture start and delta times from the row above, exactly', () => {
    const rel = timeDisplayFor({ from: FROM, to: TO }, 9, 'relative', TODAY);
    expect(formatInstant(TO, rel)).toBe(`+${(Date.parse('2018-08-18T00:44:41Z') - Date.parse('2018-08-17T06:40:00Z')) / 1000 - 1}.876548211`);
    const delta = timeDisplayFor({ from: FROM, to: TO }, 6, 'delta', TODAY);
    expect(formatInstant(ns('2018-08-17T06:40:01Z', 1_000n), delta, ns('2018-08-17T06:40:00Z', 999_999_000n))).toBe('+0.000002');
    expect(formatInstant(FROM, delta, null)).toBe('+0.000000');
  });

  it('labels axis ticks with no more digits than their step needs, dating the first and the one at midnight', () => {
    expect(fractionDigitsFor(1e9, 9)).toBe(0);
    expect(fractionDigitsFor(2e8, 9)).toBe(1);
    expect(fractionDigitsFor(5e4, 6)).toBe(5);
    expect(fractionDigitsFor(10, 6)).toBe(6);
    const d = timeDisplayFor({ from: FROM, to: TO }, 9, 'absolute', TODAY);
    const axis = timeAxis({ from: BigInt(FROM), to: BigInt(TO) }, d);
    const hour = 3_600e9;
    expect(axis.label(7 * hour, hour, true)).toBe('2018-08-17 07:00:00');
    expect(axis.label(8 * hour, hour, false)).toBe('08:00:00');
    expect(axis.label(24 * hour, hour, false)).toBe('2018-08-18 00:00:00');
    const rel = timeAxis({ from: BigInt(FROM), to: BigInt(TO) }, { ...d, format: 'relative' });
    expect(rel.domain[0]).toBe(0);
    expect(rel.label(1.5e9, 5e8, true)).toBe('+1.5 s');
  });
});
