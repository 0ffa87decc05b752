// gRPC over HTTP/2 as its wire spec (PROTOCOL-HTTP2.md) and status codes (statuscodes.md) define it:
// the call's service and method from :path, the status by number and name, grpc-message's
// percent-encoding, grpc-timeout's units, and the status a client reports when the server (or the
// path to it) resets the stream instead of answering.

export const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export const GrpcStatus = { OK: 0, CANCELLED: 1, UNKNOWN: 2, DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, PERMISSION_DENIED: 7, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** The status by name; a code outside the spec's list is UNKNOWN to a client, named here by number. */
export function grpcStatusName(code: number): string {
  return GRPC_STATUS_NAMES[code] ?? `CODE_${code}`;
}

/** Whether a request is a gRPC call: its content-type is application/grpc (with +proto, ;params...). */
export function isGrpcContentType(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && /^application\/grpc([+;]|$)/i.test(value.trim());
}

/** `/package.Service/Method` → its service and method; null for a path of another shape. */
export function grpcCallOf(path: string | null): { service: string; method: string } | null {
  if (path === null) return null;
  const m = /^\/([^/?]+)\/([^/?]+)$/.exec(path);
  return m ? { service: m[1]!, method: m[2]! } : null;
}

/** grpc-message is percent-encoded UTF-8 (PROTOCOL-HTTP2.md); an invalid escape is kept as it is. */
export function decodeGrpcMessage(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

const TIMEOUT_UNIT_NS: Record<string, number> = { H: 3600e9, M: 60e9, S: 1e9, m: 1e6, u: 1e3, n: 1 };

/** grpc-timeout (`1S`, `100m`, up to 8 digits and a unit) in nanoseconds; null when malformed. */
export function parseGrpcTimeout(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  return m ? Number(m[1]) * TIMEOUT_UNIT_NS[m[2]!]! : null;
}

/**
 * How far before its grpc-timeout a call may end and still have reached its deadline. The header
 * holds the time left when it was sent, rounded up to its unit (grpc-core sends 301m for 300.2 ms
 * left), and the client's timer fires at the real deadline: up to one unit of the header's value,
 * but no more than 1 % of the timeout (1 ms at least), so that "1S" does not stand for anything
 * between 0 and 1 s.
 */
export function grpcTimeoutSlackNs(value: string | null | undefined): number {
  if (!value) return 0;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  if (!m) return 0;
  const unit = TIMEOUT_UNIT_NS[m[2]!]!;
  return Math.min(unit, Math.max(1e6, (Number(m[1]) * unit) / 100));
}

/**
 * The status a gRPC client reports for a stream reset by RST_STREAM with this HTTP/2 error code
 * (PROTOCOL-HTTP2.md, "Errors"): REFUSED_STREAM is UNAVAILABLE (safe to retry), CANCEL is
 * CANCELLED, ENHANCE_YOUR_CALM RESOURCE_EXHAUSTED, INADEQUATE_SECURITY PERMISSION_DENIED, the
 * rest INTERNAL.
 */
export function grpcStatusOfReset(http2Error: number): number {
  switch (http2Error) {
    case 0x7:
      return GrpcStatus.UNAVAILABLE;
    case 0x8:
      return GrpcStatus.CANCELLED;
    case 0xb:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 0xc:
      return GrpcStatus.PERMISSION_DENIED;
    default:
      return GrpcStatus.INTERNAL;
  }
}
