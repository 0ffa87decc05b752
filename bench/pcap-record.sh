#!/usr/bin/env bash
# Records the benchmark capture: many HTTP connections to nginx on loopback under tcpdump, until the
# file reaches the size asked for (MB, default 700). Run as root, in its own network namespace so
# that nothing else on the machine is disturbed:
#
#   unshare -n bash bench/pcap-record.sh bench/data/http-700m.pcap 700
#
# The loopback gets a real network's MTU (1500) and no segmentation offload, so bodies travel as
# the many segments a capture on a pod's interface holds. Half the traffic is keep-alive (wrk, 64
# connections), half is one request per connection ("Connection: close"), which reuses client
# ports tens of thousands of times. Needs: tcpdump nginx wrk ethtool.
set -euo pipefail
out="$1"
mb="${2:-700}"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

ip link set lo up
ip link set lo mtu 1500
ethtool -K lo tso off gso off gro off > /dev/null 2>&1 || true
mkdir -p "$work/www" "$(dirname "$out")"
printf '<html><body>%s</body></html>\n' "$(head -c 400 /dev/zero | tr '\0' x)" > "$work/www/index.html"
head -c 20000 /dev/urandom | base64 > "$work/www/page.txt"
head -c 120000 /dev/urandom > "$work/www/asset.bin"
chmod -R a+rX "$work/www"
cat > "$work/nginx.conf" <<EOF
daemon on;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  gzip on; gzip_types text/plain; gzip_min_length 0;
  keepalive_requests 100000;
  server { listen 127.0.0.1:18480; root $work/www; }
}
EOF
nginx -c "$work/nginx.conf"
sleep 0.5

cat > "$work/mix.lua" <<'EOF'
local paths = { "/index.html", "/index.html", "/page.txt", "/asset.bin" }
local i = 0
request = function()
  i = i + 1
  -- wrk.format takes either its own headers or the -H ones: merge them.
  local h = { ["Accept-Encoding"] = (i % 3 == 0) and "gzip" or "identity" }
  for k, v in pairs(wrk.headers) do h[k] = v end
  return wrk.format("GET", paths[(i % #paths) + 1], h)
end
EOF

tcpdump -q -i lo -s 0 -B 65536 -w "$out" 'tcp port 18480' 2>"$work/tcpdump.log" &
tcpdump_pid=$!
sleep 0.5
limit=$((mb * 1000 * 1000))
half=$((limit / 2))
wrk -t1 -c64 -d600s -s "$work/mix.lua" http://127.0.0.1:18480/ > /dev/null &
wrk_pid=$!
while [ "$(stat -c %s "$out")" -lt "$half" ]; do sleep 0.5; done
kill $wrk_pid; wait $wrk_pid 2>/dev/null || true
wrk -t1 -c16 -d600s -s "$work/mix.lua" -H 'Connection: close' http://127.0.0.1:18480/ > /dev/null &
wrk_pid=$!
while [ "$(stat -c %s "$out")" -lt "$limit" ]; do sleep 0.5; done
kill $wrk_pid; wait $wrk_pid 2>/dev/null || true
sleep 1
kill -INT $tcpdump_pid; wait $tcpdump_pid || true
cat "$work/tcpdump.log" >&2
