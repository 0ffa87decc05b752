// capscope info <file>: the evidence inside a file, its formats, layers and sizes.

import { EVIDENCE_SNIFFERS } from '../../registry/formats';
import { describeFile } from '../../../parsers/source/describe';
import { formatCount } from '../../../common/format';
import { EXIT_FAILED, EXIT_OK, printJson, type Command } from './common';

export const infoCommand: Command = {
  synopsis: 'info <file> [--json]',
  summary: 'what evidence the file holds (formats, layers, sizes)',
  options: { json: { type: 'boolean' } },
  positionals: [1, 1],
  run: (args, flags) => info(args[0]!, flags.json === true),
};

async function info(file: string, json: boolean): Promise<number> {
  const described = await describeFile(file, { formats: EVIDENCE_SNIFFERS });
  const error = described.error ? { message: described.error.message, offset: described.error.offset ?? null } : null;
  if (json) {
    printJson({
      file: described.file,
      entries: described.entries.map((e) => ({ name: e.name, format: e.format, compression: e.compression, bytes: e.bytes, detail: e.detail })),
      skipped: described.skipped,
      error,
    });
  } else {
    const lines = described.entries.map((e) => {
      const layers = e.compression.length ? e.compression.join(' › ') : 'plain';
      const size = e.bytes === null ? 'size unknown' : `${formatCount(e.bytes)} bytes`;
      return `  ${e.name}\n      ${e.format}, ${layers}, ${size}: ${e.detail}`;
    });
    if (lines.length) process.stdout.write(`${described.file}\n${lines.join('\n')}\n`);
  }
  for (const s of described.skipped) process.stderr.write(`capscope: skipped ${s.name}: ${s.reason}\n`);
  if (error) process.stderr.write(`capscope: ${error.message}\n`);
  return error ? EXIT_FAILED : EXIT_OK;
}

