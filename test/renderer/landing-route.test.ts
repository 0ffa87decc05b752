// A bare address lands on the case given on the command line (or the Open view), but an address
// that already names a page (a link followed, or a hash set while the app was still asking the
// server what it was started with) is kept: the e2e tests set the hash right after loading and
// were sent to the overview when the app's answer came in between a render and its effect.

import { describe, expect, test } from 'vitest';
import { landingRoute } from '../../renderer/routing/address';

describe('landingRoute', () => {
  test('a bare address lands on the initial case, or on the Open view without one', () => {
    expect(landingRoute({ initialCaseId: 'abc' }, '')).toEqual({ name: 'case', caseId: 'abc', page: expect.anything() });
    expect(landingRoute({ initialCaseId: 'abc' }, '#/')).toMatchObject({ name: 'case', caseId: 'abc' });
    expect(landingRoute({ initialCaseId: null }, '#/')).toEqual({ name: 'open' });
  });

  test('an address that names a page is left alone', () => {
    expect(landingRoute({ initialCaseId: 'abc' }, '#/case/abc/heap/1')).toBeNull();
    expect(landingRoute({ initialCaseId: 'abc' }, '#/case/other')).toBeNull();
    expect(landingRoute({ initialCaseId: null }, '#/open')).toBeNull();
  });
});
