// The emojivoto incident (test/fixtures/http2/emojivoto.py staged it on the network) as a syscall
// capture sees it, written with the test scap writer: curl in container vote-bot asks web (in
// container web) GET /api/vote?choice=:poop:; web calls emojivoto.v1.VotingService/VotePoop on
// voting (in container voting) over one h2c connection it opened at start, voting answers
// Trailers-Only with grpc-status 2 and grpc-message ERROR (what grpc-go sends for an error returned
// before any message), and web answers curl 500. Every I/O is a read or write on a socket, cut to
// the snaplen (256, as a capture asked for HTTP/2 headers would take), in the form the test asks
// for (enter/exit pairs, or exits alone as current libs write them).

import { grpcMessage, data, headers, HpackEncoder, PREFACE_BYTES, settings, frame, F } from './http2-writer';
import { IncidentScap, SYSTEMD, type CallForm, type Container, type Endpoint } from './scap-incident';
import type { ThreadSpec } from './scap-writer';

export const VOTE_BOT: Container = { id: 'a1'.repeat(32), name: 'vote-bot', image: 'curlimages/curl:8.4.0' };
export const WEB: Container = { id: 'b2'.repeat(32), name: 'web', image: 'buoyantio/emojivoto-web:v11' };
export const VOTING: Container = { id: 'c3'.repeat(32), name: 'voting', image: 'buoyantio/emojivoto-voting-svc:v11' };

export const BOT_IP = '10.4.0.50';
export const WEB_IP = '10.4.0.21';
export const VOTING_IP = '10.4.0.22';
export const WEB_PORT = 8080;
export const VOTING_PORT = 8080;
/** web's end of its channel to voting. */
export const CHANNEL_PORT = 41234;

const TID = { curl: 300, web: 400, voting: 500 } as const;
const cgroup = (c: Container) => [`cpuset=/docker/${c.id}`];
const THREADS: ThreadSpec[] = [
  SYSTEMD,
  { tid: TID.curl, comm: 'curl', exe: '/usr/bin/curl', args: ['-s', `http://${WEB_IP}:${WEB_PORT}/api/vote?choice=:poop:`], cwd: '/', cgroups: cgroup(VOTE_BOT) },
  { tid: TID.web, comm: 'emojivoto-web', exe: '/usr/local/bin/emojivoto-web', cwd: '/', cgroups: cgroup(WEB) },
  { tid: TID.voting, comm: 'emojivoto-votin', exe: '/usr/local/bin/emojivoto-voting-svc', cwd: '/', cgroups: cgroup(VOTING) },
];

export const VOTE_PATH = '/api/vote?choice=:poop:';
export const VOTE_REQUEST = `GET ${VOTE_PATH} HTTP/1.1\r\nHost: ${WEB_IP}:${WEB_PORT}\r\nUser-Agent: curl/8.4.0\r\nAccept: */*\r\n\r\n`;
const ERROR_BODY = 'rpc error: code = Unknown desc = ERROR\n';
export const VOTE_FAILED = `HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${ERROR_BODY.length}\r\n\r\n${ERROR_BODY}`;

/** The three votes of the incident, 100 ms apart. */
export const ROUNDS = 3;

/**
 * The capture: the process table and the three containers, web's channel to voting set up (the
 * preface and both SETTINGS), then ROUNDS votes, each a curl connection to web and a gRPC call on
 * the channel (streams 1, 3, 5: the HPACK tables of both directions carry from one to the next).
 */
export function grpcIncidentScap({ form = 'paired', snaplen = 256 }: { form?: CallForm; snaplen?: number } = {}): Buffer {
  const w = new IncidentScap({ step: 1_000_000n, snaplen, form }).begin(
    THREADS,
    [
      { tid: TID.web, fd: 3, port: WEB_PORT },
      { tid: TID.voting, fd: 3, port: VOTING_PORT },
    ],
    [VOTE_BOT, WEB, VOTING],
  );
  const channel: Endpoint = { tid: TID.web, fd: 7 };
  const votingEnd: Endpoint = { tid: TID.voting, fd: 5 };
  const toVoting = (bytes: Uint8Array) => w.io('write', channel.tid, channel.fd, bytes).io('read', votingEnd.tid, votingEnd.fd, bytes);
  const toWeb = (bytes: Uint8Array) => w.io('write', votingEnd.tid, votingEnd.fd, bytes).io('read', channel.tid, channel.fd, bytes);

  w.connect(channel, votingEnd, { sip: WEB_IP, sport: CHANNEL_PORT, dip: VOTING_IP, dport: VOTING_PORT });
  // grpc-go's client: the preface, its SETTINGS and a connection WINDOW_UPDATE in one write.
  toVoting(Buffer.concat([PREFACE_BYTES, settings([[2, 0], [4, 4194304], [6, 16384]]), windowUpdate(4128769)]));
  toWeb(Buffer.concat([settings([[5, 16384]]), frame(F.SETTINGS, 1, 0)]));
  toVoting(frame(F.SETTINGS, 1, 0));

  const client = new HpackEncoder();
  const server = new HpackEncoder();
  for (let round = 0; round < ROUNDS; round++) {
    const bot: Endpoint = { tid: TID.curl, fd: 3 };
    const front: Endpoint = { tid: TID.web, fd: 6 };
    w.connect(bot, front, { sip: BOT_IP, sport: 52000 + round, dip: WEB_IP, dport: WEB_PORT }, 100_000_000n);
    w.io('write', bot.tid, bot.fd, VOTE_REQUEST).io('read', front.tid, front.fd, VOTE_REQUEST);
    const stream = 2 * round + 1;
    const call = client.encode(
      [
        [':method', 'POST'],
        [':scheme', 'http'],
        [':path', '/emojivoto.v1.VotingService/VotePoop'],
        [':authority', `voting-svc.emojivoto:${VOTING_PORT}`],
        ['content-type', 'application/grpc'],
        ['user-agent', 'grpc-go/1.29.1'],
        ['te', 'trailers'],
      ],
      { huffman: true },
    );
    toVoting(Buffer.concat([headers(stream, call), data(stream, grpcMessage(new Uint8Array(0)), true)]));
    const trailersOnly = server.encode(
      [
        [':status', '200'],
        ['content-type', 'application/grpc'],
        ['grpc-status', '2'],
        ['grpc-message', 'ERROR'],
      ],
      { huffman: true },
    );
    toWeb(headers(stream, trailersOnly, { endStream: true }));
    w.io('write', front.tid, front.fd, VOTE_FAILED).io('read', bot.tid, bot.fd, VOTE_FAILED);
    w.close(front.tid, front.fd).close(bot.tid, bot.fd);
  }
  return w.bytes();
}

function windowUpdate(increment: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(increment);
  return frame(F.WINDOW_UPDATE, 0, 0, p);
}
