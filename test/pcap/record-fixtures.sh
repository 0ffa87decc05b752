#!/usr/bin/env bash
# Records the captures in test/fixtures/pcap/: real tcpdump and dumpcap captures of curl and wrk
# against nginx and HAProxy on loopback. Run as root from the repository root:
#
#   unshare -n bash test/pcap/record-fixtures.sh
#
# `unshare -n` gives the run its own network namespace (its own lo), so the packet loss it
# switches on with iptables and the ports it uses touch nothing else on the machine.
# Needs: apt-get install -y tcpdump nginx haproxy curl wrk iptables ethtool tshark
set -euo pipefail

out="$(pwd)/test/fixtures/pcap"
work="$(mktemp -d)"
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$out" "$work/www"
chmod 755 "$work"  # nginx workers run as nobody
ip link set lo up
# A real network's MTU, so that bodies span many segments (loopback's is 64 KiB).
ip link set lo mtu 1500
# No segmentation offload: the capture sees the segments TCP really sent, one per MTU.
ethtool -K lo tso off gso off gro off > /dev/null 2>&1 || echo 'ethtool missing: captures hold 64 KiB offload frames' >&2

# Content: a small page, a 120 kB text file (compressed on the fly: a chunked response) and a
# 160 kB binary file (many segments, for the lossy capture).
printf 'hello from nginx\n' > "$work/www/index.html"
seq 1 20000 | sed 's/^/line /' > "$work/www/big.txt"
head -c 160000 /dev/urandom > "$work/www/blob.bin"
chmod -R a+rX "$work/www"

cat > "$work/nginx.conf" <<EOF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  gzip on; gzip_types text/plain; gzip_min_length 0;
  server {
    listen 127.0.0.1:18080; listen [::1]:18080;
    root $work/www;
    keepalive_requests 1000;
  }
}
EOF
cat > "$work/haproxy.cfg" <<EOF
global
  pidfile $work/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend fe
  bind 127.0.0.1:18081
  default_backend be
backend be
  http-reuse safe
  server nginx 127.0.0.1:18080
EOF
nginx -c "$work/nginx.conf" & echo $! > "$work/nginx-main.pid"
haproxy -f "$work/haproxy.cfg" & echo $! > "$work/haproxy-main.pid"
sleep 0.5

# capture NAME TCPDUMP-ARGS... -- COMMAND: records NAME while COMMAND runs.
capture() {
  local name="$1"; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  tcpdump --immediate-mode -U -q "${args[@]}" -w "$out/$name" 2>/dev/null & local pid=$!
  sleep 0.5
  "$@" > /dev/null
  sleep 0.5
  kill -INT $pid 2>/dev/null || true; wait $pid || true
  echo "$name: $(capinfos -c -M "$out/$name" | awk '/Number of packets/ {print $4}') packets"
}

u=http://127.0.0.1:18080
# Keep-alive (three requests on one connection), a chunked gzip response, a POST with a body.
capture nginx-keepalive-chunked.pcap -i lo 'tcp port 18080' -- sh -c "
  curl -s $u/ $u/index.html $u/ ;
  curl -s --compressed $u/big.txt ;
  curl -s -d 'name=capscope&kind=test' $u/index.html || true"
# IPv6 with nanosecond timestamps.
capture nginx-ipv6-nsec.pcap -i lo --time-stamp-precision=nano 'tcp port 18080' -- sh -c "
  curl -s -6 'http://[::1]:18080/' 'http://[::1]:18080/index.html' ; curl -s -6 --compressed 'http://[::1]:18080/big.txt'"
# curl → HAProxy → nginx on the "any" device: Linux cooked v2 headers.
capture haproxy-any-sll2.pcap -i any -y LINUX_SLL2 'tcp port 18081 or tcp port 18080' -- sh -c "
  for i in 1 2 3 4 5; do curl -s http://127.0.0.1:18081/ ; done; curl -s --compressed http://127.0.0.1:18081/big.txt"
# The same client port again and again: a new SYN on the same 4-tuple is a new connection. The
# client reads to the end of each response before closing, so the server (which closes first,
# "Connection: close") holds the TIME_WAIT and the client port is free again at once.
cat > "$work/reuse.py" <<'PY'
import socket, sys
for i in range(int(sys.argv[1])):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 40404))
    s.connect(("127.0.0.1", 18080))
    s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    while s.recv(65536):
        pass
    s.close()
PY
capture port-reuse.pcap -i lo 'tcp port 18080' -- python3 "$work/reuse.py" 60
# wrk: many keep-alive connections in parallel, and then short connections. The capture stops
# after a packet count, so it ends in the middle of connections, as real captures do.
capture wrk-keepalive.pcap -i lo -c 3000 'tcp port 18080' -- wrk -t1 -c8 -d1s $u/
capture wrk-close.pcap -i lo -c 3000 'tcp port 18080' -- wrk -t1 -c4 -d1s -H 'Connection: close' $u/
# Snapshot length 120: payloads cut short (captured < length).
capture snaplen-120.pcap -i lo -s 120 'tcp port 18080' -- sh -c "curl -s $u/big.txt $u/index.html"
# Packet loss before and after the capture point: retransmissions, out-of-order segments, SACK.
iptables -A OUTPUT -o lo -p tcp --sport 18080 -m statistic --mode random --probability 0.08 -j DROP
iptables -A INPUT -i lo -p tcp --sport 18080 -m statistic --mode random --probability 0.08 -j DROP
capture lossy-retransmissions.pcap -i lo -s 0 'tcp port 18080' -- sh -c "
  for i in 1 2 3; do curl -s --max-time 30 $u/blob.bin; done"
iptables -F
# dumpcap: pcapng with two interfaces of different link types (lo: Ethernet, any: SLL2).
dumpcap -q -i lo -i any -f 'tcp port 18080' -w "$out/dumpcap-two-interfaces.pcapng" 2>/dev/null & dpid=$!
sleep 1; curl -s $u/ $u/index.html > /dev/null; sleep 0.5
kill -INT $dpid; wait $dpid || true
echo "dumpcap-two-interfaces.pcapng: $(capinfos -c -M "$out/dumpcap-two-interfaces.pcapng" | awk '/Number of packets/ {print $4}') packets"
ls -la "$out"
