// `npm start [-- <capture> | -]`: the desktop app when Electron can run here, otherwise the same UI
// in web mode (`capscope serve`) with its URL printed. Builds first if dist/ is missing. `-` reads
// the capture piped in (`kubectl sniff POD -o - | npm start -- -`), standard input passed on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const isWindows = process.platform === 'win32';
const DOWNLOAD_TIMEOUT_MS = 180_000;
const SAMPLE = path.join(root, 'sample-captures', 'haproxy-502.pcap');

// npm runs scripts from the package root; a relative path was meant from where npm was typed.
const typedFrom = process.env.INIT_CWD ?? process.cwd();
const extraArgs = process.argv.slice(2);
const fromStdin = extraArgs.includes('-');
const fileArg = extraArgs.find((arg) => !arg.startsWith('-'));
const file = fromStdin ? '-' : fileArg === undefined ? null : path.resolve(typedFrom, fileArg);

if (file && !fromStdin && !existsSync(file)) {
  console.error(`capscope: ${file} does not exist.`);
  process.exit(1);
}

ensureBuilt();
if (electronBinary() ?? fetchElectronOnce()) runDesktop();
else {
  console.error(
    'capscope: the Electron binary is not installed and could not be downloaded here, so capscope starts in web mode instead.',
  );
  runWeb();
}

function ensureBuilt() {
  const outputs = ['dist/cli.mjs', 'dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
  if (outputs.every((p) => existsSync(path.join(root, p)))) return;
  console.log('capscope: dist/ is missing, building first…');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** The path of the Electron executable when it is installed, else null. */
function electronBinary() {
  try {
    // The package's index.js reads the path on load; drop the cached module to look again.
    delete require.cache[require.resolve('electron')];
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** electron's own postinstall downloads the binary; it fails fast without internet. */
function fetchElectronOnce() {
  console.log('capscope: the Electron binary is missing; trying to download it once…');
  const install = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
  });
  if (install.status === 0) return electronBinary();
  // The installer's stack trace says less than its first line.
  const reason = install.error?.message ?? install.stderr.split('\n').find((line) => line.trim() !== '');
  if (reason) console.error(`capscope: download failed: ${reason.trim()}`);
  return null;
}

function runDesktop() {
  const args = ['--no', 'electron-forge', 'start', '--', ...(file ? [file] : [])];
  const child = spawn(isWindows ? 'npx.cmd' : 'npx', args, { cwd: root, stdio: 'inherit', shell: isWindows });
  relayExit(child);
}

function runWeb() {
  const capture = file ?? SAMPLE;
  const child = spawn(process.execPath, [path.join(root, 'bin', 'capscope.js'), 'serve', capture, '--json'], {
    cwd: root,
    stdio: [fromStdin ? 'inherit' : 'ignore', 'pipe', 'inherit'],
  });
  let announced = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!announced) {
      try {
        const { url } = JSON.parse(line);
        announced = true;
        console.log(`capscope is serving ${fromStdin ? 'standard input' : capture}\n\n  Open ${url}\n\nin a browser on this machine. Press Ctrl+C to stop.`);
        return;
      } catch {
        // Not the announcement: pass it through like any other line.
      }
    }
    console.log(line);
  });
  relayExit(child);
}

/** Ctrl+C and termination go to the child; its exit status becomes ours. */
function relayExit(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`capscope: could not start ${child.spawnfile}: ${err.message}`);
    process.exit(1);
  });
}
