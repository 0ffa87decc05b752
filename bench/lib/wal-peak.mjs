// The largest size an index's write-ahead log reaches while a command runs: the disk an ingest
// needs beyond the index itself.

import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * Starts sampling the size of `db`'s write-ahead log every 200 ms, in a shell of its own so that it
 * goes on while a synchronous run blocks this thread; stop() returns the largest size seen, in MiB.
 */
export function sampleWalPeak(db) {
  const peakFile = `${db}.walpeak`;
  fs.rmSync(peakFile, { force: true });
  const script = 'peak=0; while :; do s=$(stat -c %s "$1" 2>/dev/null || echo 0); if [ "$s" -gt "$peak" ]; then peak=$s; echo $peak > "$2"; fi; sleep 0.2; done';
  const sampler = spawn('sh', ['-c', script, 'sh', `${db}-wal`, peakFile], { stdio: 'ignore' });
  return {
    stop() {
      sampler.kill();
      const peak = fs.existsSync(peakFile) ? Number(fs.readFileSync(peakFile, 'utf8')) : 0;
      fs.rmSync(peakFile, { force: true });
      return peak / (1 << 20);
    },
  };
}
