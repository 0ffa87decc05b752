import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerZIP } from '@electron-forge/maker-zip';

// What the packaged app is made of: the build output, the production dependencies and the
// manifest. Sources, tests, benchmarks and the corpus stay out. Paths arrive relative to the
// project with a leading '/', and every parent directory is asked about too.
const SHIPPED = [/^\/package\.json$/, /^\/dist(\/|$)/, /^\/node_modules(\/|$)/];
// A custom ignore function replaces @electron/packager's defaults, so they are restated here
// (devDependencies, electron among them, are pruned separately).
const NEVER_SHIPPED = [/^\/node_modules\/\.bin(\/|$)/, /\.(o|obj)$/];

function ignore(file: string): boolean {
  if (file === '') return false;
  if (NEVER_SHIPPED.some((re) => re.test(file))) return true;
  return !SHIPPED.some((re) => re.test(file));
}

const config: ForgeConfig = {
  packagerConfig: {
    name: 'capscope',
    executableName: 'capscope',
    // No asar archive: the ingest runs in a worker_thread whose script, and the modules it imports
    // (better-sqlite3 with its native binding, the row_batch SQLite extension), must load from real files.
    asar: false,
    // Lands in process.resourcesPath/sample-captures, where electron/main.ts looks for the sample.
    extraResource: ['sample-captures'],
    ignore,
  },
  // Default rebuild: Forge rebuilds better-sqlite3 against Electron's ABI before packaging.
  rebuildConfig: {},
  makers: [new MakerZIP({})],
};

export default config;
