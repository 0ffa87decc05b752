#!/usr/bin/env bash
# Records the HTTP/2 benchmark capture: h2load (nghttp2-client) against nghttpd (nghttp2-server),
# h2c with prior knowledge, on loopback under tcpdump. Run as root, in its own network namespace so
# nothing else on the machine is disturbed:
#
#   unshare -n bash bench/http2-record.sh bench/data/h2c-500m.pcap 500
#
# Until the file reaches the size asked for (MB, default 500): rounds of h2load with 16 connections
# of 10 concurrent streams each over a mix of a small page (300 B), a 4 KiB object, a 64 KiB object
# and a 404, so the capture has many streams per connection, HPACK tables that fill, DATA frames
# split across segments and flow-control WINDOW_UPDATEs. The loopback gets a real network's MTU
# (1500) and no segmentation offload, so frames travel as the many segments a pod's capture holds.
# nghttpd listens on port 8092 (the benchmark tells tshark `-d tcp.port==8092,http2`).
# Needs: nghttp2-server nghttp2-client tcpdump ethtool.
set -euo pipefail
out="$1"
mb="${2:-500}"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

ip link set lo up
ip link set lo mtu 1500
ethtool -K lo tso off gso off gro off > /dev/null 2>&1 || true
mkdir -p "$work/www" "$(dirname "$out")"
head -c 300 /dev/zero | tr '\0' x > "$work/www/small.html"
head -c 4096 /dev/urandom > "$work/www/obj-4k.bin"
head -c 65536 /dev/urandom > "$work/www/obj-64k.bin"
nghttpd --no-tls -d "$work/www" 8092 > "$work/nghttpd.log" 2>&1 &
sleep 0.5
# A 256 MiB kernel buffer and no --immediate-mode: on an idle machine h2load outruns a per-packet
# tcpdump with a 64 MiB buffer (half the packets were dropped).
tcpdump -i lo -B 262144 -s 0 -w "$out" 2> "$work/tcpdump.err" &
dump=$!
sleep 1
base=http://127.0.0.1:8092
while [ "$(stat -c %s "$out")" -lt $((mb * 1000 * 1000)) ]; do
  h2load -n 40000 -c 16 -m 10 "$base/small.html" "$base/obj-4k.bin" "$base/small.html" "$base/obj-64k.bin" "$base/missing" "$base/obj-4k.bin" > "$work/h2load.log" 2>&1
  grep -E '^requests:' "$work/h2load.log"
done
sleep 0.5
kill -INT $dump
wait $dump 2>/dev/null || true
grep -E 'packets (captured|dropped)' "$work/tcpdump.err" || true
# A capture with holes would measure the parser on gaps, not on HTTP/2: refuse it.
if ! grep -qE '^0 packets dropped by kernel' "$work/tcpdump.err"; then
  echo "tcpdump dropped packets: $out is not a complete capture; record it again" >&2
  exit 1
fi
ls -la "$out"
