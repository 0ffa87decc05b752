// The emojivoto incident as a syscall capture sees it (test/helpers/scap-grpc-incident.ts): three
// containers, HTTP/2 bytes read and written on sockets, snaplen 256, in sysdig 0.29's enter/exit
// pairs and in the exit-only form current libs write. The web container's 500 must be explained as
// it is on the network capture (findings-grpc.test.ts), with the containers named, and sysdig must
// read the capture as the same story.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { CHANNEL_PORT, grpcIncidentScap, ROUNDS, VOTE_FAILED, VOTE_REQUEST, VOTING_IP, WEB_IP } from '../helpers/scap-grpc-incident';

interface Finding {
  kind: string;
  cause: string | null;
  explanation: string;
  exchange: number | null;
}
interface Exchange {
  id: number;
  client: string;
  server: string;
  method: string | null;
  target: string | null;
  status: number | null;
  version: string;
  http2Stream: number | null;
  container: { id: string; name: string | null } | null;
  grpc: { service: string | null; method: string | null; status: number | null; statusName: string | null; message: string | null } | null;
}

const dir = scratchDir('scap-grpc-incident');

for (const form of ['paired', 'exit-only'] as const) {
  describe(`the emojivoto incident in a syscall capture (${form} events, snaplen 256)`, () => {
    let file: string;
    let exchanges: Exchange[];
    let findings: Finding[];

    beforeAll(async () => {
      file = path.join(dir, `emojivoto-${form}.scap`);
      fs.writeFileSync(file, grpcIncidentScap({ form }));
      const env = { CAPSCOPE_CACHE_DIR: path.join(dir, `cache-${form}`) };
      const http = await capscopeAsync(['http', '--json', file], env);
      const found = await capscopeAsync(['findings', '--json', file], env);
      expect(http.status, http.stderr).toBe(0);
      expect(found.status, found.stderr).toBe(0);
      exchanges = (onlyJson(http) as { exchanges: Exchange[] }).exchanges;
      findings = (onlyJson(found) as { findings: Finding[] }).findings;
    });

    it('is a capture sysdig 0.29 reads: every read and write on the sockets, with the containers', () => {
      const io = (f: string, format: string) => {
        const sysdig = spawnSync('sysdig', ['-r', f, '-p', format, 'evt.dir=< and evt.type in (read, write)'], { encoding: 'utf8', timeout: 30_000 });
        expect(sysdig.status, sysdig.stderr).toBe(0);
        return sysdig.stdout.trim().split('\n');
      };
      if (form === 'exit-only') {
        // sysdig 0.29 predates exits that carry their enter's parameters: it reads them, but names no
        // fd of a connection whose connect came without its enter. The I/O is the paired capture's.
        const paired = path.join(dir, 'emojivoto-paired-for-sysdig.scap');
        fs.writeFileSync(paired, grpcIncidentScap({ form: 'paired' }));
        const format = '*%container.name %proc.name %evt.type %evt.rawres';
        const lines = io(file, format);
        // Three setup writes on the channel and eight per vote (curl and web, web and voting), each read by the other end.
        expect(lines.length).toBe(2 * 3 + 8 * ROUNDS);
        expect(lines).toEqual(io(paired, format));
        return;
      }
      const lines = io(file, '%container.name %proc.name %evt.type %fd.name %evt.rawres');
      expect(lines.filter((l) => l === `vote-bot curl write 10.4.0.50:52000->${WEB_IP}:8080 ${VOTE_REQUEST.length}`)).toHaveLength(1);
      expect(lines.filter((l) => l === `web emojivoto-web write 10.4.0.50:52000->${WEB_IP}:8080 ${VOTE_FAILED.length}`)).toHaveLength(1);
      const channel = `${WEB_IP}:${CHANNEL_PORT}->${VOTING_IP}:8080`;
      // The channel: web's two setup writes and voting's one, then a call and its answer per vote, each seen from both ends.
      expect(lines.filter((l) => l.startsWith(`web emojivoto-web write ${channel} `))).toHaveLength(2 + ROUNDS);
      expect(lines.filter((l) => l.startsWith(`voting emojivoto-votin read ${channel} `))).toHaveLength(2 + ROUNDS);
      expect(lines.filter((l) => l.startsWith(`voting emojivoto-votin write ${channel} `))).toHaveLength(1 + ROUNDS);
      expect(lines.filter((l) => l.startsWith(`web emojivoto-web read ${channel} `))).toHaveLength(1 + ROUNDS);
    });

    it('reads the channel as HTTP/2: each VotePoop call once (both ends stitched), Trailers-Only UNKNOWN "ERROR"', () => {
      const calls = exchanges.filter((e) => e.version === '2');
      expect(calls.map((e) => [e.client, e.server, e.method, e.target, e.status, e.http2Stream, e.container?.name])).toEqual(
        [1, 3, 5].map((stream) => [`${WEB_IP}:${CHANNEL_PORT}`, `${VOTING_IP}:8080`, 'POST', '/emojivoto.v1.VotingService/VotePoop', 200, stream, 'voting']),
      );
      for (const c of calls) expect(c.grpc).toMatchObject({ service: 'emojivoto.v1.VotingService', method: 'VotePoop', status: 2, statusName: 'UNKNOWN', message: 'ERROR' });
      const votes = exchanges.filter((e) => e.version !== '2');
      expect(votes.map((e) => [e.method, e.target, e.status, e.container?.name])).toEqual(Array.from({ length: ROUNDS }, () => ['GET', '/api/vote?choice=:poop:', 500, 'web']));
    });

    it("explains each 500 by the call web made, naming the containers", () => {
      const explained = findings.filter((f) => f.kind === 'upstream-error');
      const fiveHundreds = exchanges.filter((e) => e.status === 500);
      expect(explained.map((f) => f.exchange).sort()).toEqual(fiveHundreds.map((e) => e.id).sort());
      for (const f of explained) {
        expect(f.cause).toBe('grpc-unknown');
        expect(f.explanation).toBe(
          `emojivoto-web (container web, ${WEB_IP}:8080) answered 500 Internal Server Error to GET /api/vote?choice=:poop: because its call to emojivoto.v1.VotingService/VotePoop on emojivoto-votin (container voting, ${VOTING_IP}:8080) failed with grpc-status 2 UNKNOWN 'ERROR'.`,
        );
      }
    });
  });
}
