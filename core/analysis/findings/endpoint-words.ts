// How a finding names one end of an exchange: its process and container where a syscall capture
// knows them, with the address ("haproxy (container edge-lb, 10.4.0.31:80)"), else the address
// alone, as a network capture knows it. One wording for every finding that names services.

export function describeEndpoint(proc: string | null, container: string | null, address: string | null): string {
  const parts = [proc, container ? `(container ${container}` : null].filter(Boolean);
  if (parts.length === 0) return address ?? 'an unknown endpoint';
  return `${parts.join(' ')}${container ? `, ${address})` : address ? ` (${address})` : ''}`;
}
