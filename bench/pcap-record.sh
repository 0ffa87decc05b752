#!/usr/bin/env bash
# Records a benchmark capture: HTTP to nginx on loopback under tcpdump. Run as root, in its own
# network namespace so that nothing else on the machine is disturbed:
#
#   unshare -n bash bench/pcap-record.sh bench/data/http-700m.pcap 700          (mixed)
#   unshare -n bash bench/pcap-record.sh bench/data/http-short.pcap 0 short     (short)
#
# mixed: until the file reaches the size asked for (MB, default 700), half keep-alive (wrk, 64
#   connections), half one request per connection ("Connection: close", 16 connections), which
#   reuses client ports tens of thousands of times: few long connections and many short ones.
# short: what a busy service's capture looks like: 12 connections with "Connection: close" and 3 ms
#   of think time for 35 s (about a hundred thousand TCP connections, client ports reused over and
#   over), then 4 keep-alive connections for 10 s; small pages, a 404, 32 KiB and 256 KiB objects.
#
# The loopback gets a real network's MTU (1500) and no segmentation offload, so bodies travel as
# the many segments a capture on a pod's interface holds. Needs: tcpdump nginx wrk ethtool.
set -euo pipefail
out="$1"
mb="${2:-700}"
mode="${3:-mixed}"
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
head -c 32768 /dev/urandom > "$work/www/obj-32k.bin"
head -c 262144 /dev/urandom > "$work/www/obj-256k.bin"
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

cat > "$work/short.lua" <<'EOF'
-- Mostly small pages and a 404; one request in 16 fetches a 32 KiB object, one in 64 a 256 KiB one.
local paths = {}
for n = 1, 64 do
  if n == 64 then paths[n] = "/obj-256k.bin"
  elseif n % 16 == 0 then paths[n] = "/obj-32k.bin"
  elseif n % 8 == 3 then paths[n] = "/missing.html"
  elseif n % 16 == 5 then paths[n] = "/page.txt"
  else paths[n] = "/index.html" end
end
local i = 0
request = function()
  i = i + 1
  local h = { ["Accept-Encoding"] = (i % 3 == 0) and "gzip" or "identity" }
  for k, v in pairs(wrk.headers) do h[k] = v end
  return wrk.format("GET", paths[(i % #paths) + 1], h)
end
-- Think time between requests (ms), as a client that does something with each answer.
delay = function() return 3 end
EOF

tcpdump -q -i lo -s 0 -B 65536 -w "$out" 'tcp port 18480' 2>"$work/tcpdump.log" &
tcpdump_pid=$!
sleep 0.5
if [ "$mode" = short ]; then
  wrk -t2 -c12 -d35s -s "$work/short.lua" -H 'Connection: close' http://127.0.0.1:18480/ > /dev/null
  wrk -t1 -c4 -d10s -s "$work/short.lua" http://127.0.0.1:18480/ > /dev/null
else
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
fi
sleep 1
kill -INT $tcpdump_pid; wait $tcpdump_pid || true
cat "$work/tcpdump.log" >&2
