// `npm run bench`: the benchmarks, by name. Without a name it lists them with the first line of
// each one's header; with names it runs them one after another (arguments after `--` go to each),
// building first so that every benchmark times the code as it is. Each benchmark writes its own
// Markdown table; docs/benchmarks.md keeps the results with the command and the machine.
//
//   npm run bench                          list
//   npm run bench -- scap-throughput 256 2 run one, with its own arguments
//   npm run bench -- heap-dump ui-queries  run several, each with its defaults

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

/** Every bench/*.mjs but this one, with the first sentence of its header comment. */
function benchmarks() {
  return fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
    .sort()
    .map((f) => {
      const header = fs.readFileSync(path.join(here, f), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.replace(/^\/\/ ?/, ''));
      const text = header.join(' ').replace(/\s+/g, ' ').replace(/^Benchmark:\s*/, '');
      const sentence = text.match(/^.*?\.(\s|$)/)?.[0] ?? text;
      return { name: f.replace(/\.mjs$/, ''), about: sentence.length > 110 ? `${sentence.slice(0, 107).trimEnd()}...` : sentence.trim() };
    });
}

const all = benchmarks();
const [names, rest] = splitArgs(process.argv.slice(2));

if (names.length === 0) {
  console.log('Benchmarks (npm run bench -- NAME [ARGS]):');
  for (const b of all) console.log(`  ${b.name.padEnd(28)} ${b.about}`);
  process.exit(0);
}

const unknown = names.filter((n) => !all.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (run 'npm run bench' for the list)`);
  process.exit(2);
}

const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
for (const name of names) {
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, [path.join(here, `${name}.mjs`), ...rest], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * Names before `--`, arguments after; without `--`, the names run up to the first argument that
 * is not a name (a number, a flag, a path), and the first argument is always taken as a name.
 */
function splitArgs(args) {
  const dash = args.indexOf('--');
  if (dash >= 0) return [args.slice(0, dash), args.slice(dash + 1)];
  const firstArg = args.findIndex((a, i) => i > 0 && !all.some((b) => b.name === a));
  return firstArg < 0 ? [args, []] : [args.slice(0, firstArg), args.slice(firstArg)];
}
