// The profile readers against go tool pprof: for every profile.proto the Go test program served
// (fixtures/make-fixtures.sh; and a larger CPU profile of the standard library's regexp benchmarks)
// and every sample type in it, each function's flat and cum equal
// `go tool pprof -top -nodecount=1000 -nodefraction=0 -sample_index=T` (fixtures/oracle.sh), and
// the functions are the same ones.

import { describe, expect, it } from 'vitest';
import { decodeProfileProto } from '../../core/formats/pprof/parser/decode-proto';
import { functionTotals, namedSamples } from '../../core/formats/pprof/profile-math';
import { fixtureBytes, oracleFiles, readOracle } from './helpers/oracle';

const PROFILES = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-2.pb', 'allocs.pb.gz', 'cpu.pb.gz', 'goroutine-1.pb.gz', 'goroutine-2.pb.gz', 'block.pb.gz', 'mutex.pb.gz', 'threadcreate.pb.gz', 'regexp-bench-cpu.pb.gz'];

function totalsOf(name: string, sampleType: string): Map<string, { flat: number; cum: number }> {
  const diagnostics: string[] = [];
  const { profile, stop } = decodeProfileProto(fixtureBytes(name), (_o, d) => diagnostics.push(d.message));
  expect(stop).toBeNull();
  expect(diagnostics).toEqual([]);
  const index = profile.sampleTypes.findIndex((t) => t.type === sampleType);
  expect(index).toBeGreaterThanOrEqual(0);
  return new Map(functionTotals(namedSamples(profile), index).map((t) => [t.function, { flat: t.flat, cum: t.cum }]));
}

describe('flat and cum per function equal go tool pprof -top', () => {
  for (const name of PROFILES) {
    const oracles = oracleFiles(name);
    it(`${name}: every sample type (${oracles.map((o) => o.sampleType).join(', ')})`, () => {
      expect(oracles.length).toBeGreaterThan(0);
      for (const { file, sampleType } of oracles) {
        const oracle = readOracle(file);
        expect(oracle.rows.size, file).toBeGreaterThan(0);
        expect(totalsOf(name, sampleType), `${name} ${sampleType}`).toEqual(oracle.rows);
      }
    });
  }
});
