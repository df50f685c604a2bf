/**
 * Benchmark entry point: `node --import tsx bench/run.ts [--json] [--sources] [--only NAME]`.
 *
 * Runs every section in one process, one after the other, and prints them side by side
 * (or, with --json, exactly one flat JSON object of all sections' metrics). Add a new
 * section (scan, server latency, ...) as its own file under bench/ exporting a function
 * that returns a `Section` (see harness.ts), and list it in SECTIONS below.
 */
import { loadBundledCodecs } from './bundled';
import { codecSection } from './codec';
import { footprintSection } from './footprint';
import { formatSection, type Section } from './harness';
import { scanSection } from './scan';
import { serverSection } from './server';
import { logSection } from './log';

interface Options {
  /** Time the esbuild bundle of shared/ (as shipped; the default) rather than the tsx-loaded sources (--sources). */
  bundled: boolean;
}

const SECTIONS: { name: string; run: (o: Options) => Section | Promise<Section> }[] = [
  { name: 'codec', run: (o) => (o.bundled ? codecSection({}, loadBundledCodecs(), 'esbuild bundle') : codecSection()) },
  { name: 'footprint', run: () => footprintSection() },
  { name: 'scan', run: () => scanSection() },
  { name: 'server', run: () => serverSection() },
  { name: 'log', run: () => logSection() },
];

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const opts: Options = { bundled: !argv.includes('--sources') };
  const t0 = Date.now();
  const results: Section[] = [];
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  for (const s of SECTIONS.filter((x) => only === undefined || x.name === only)) results.push(await s.run(opts));
  if (json) {
    const flat: Record<string, number> = {};
    for (const r of results) Object.assign(flat, r.metrics);
    process.stdout.write(`${JSON.stringify(flat)}\n`);
    return;
  }
  const header = `handoff-journal bench: node ${process.version}, ${process.arch}, ${new Date().toISOString()}`;
  process.stdout.write(`${header}\n\n${results.map(formatSection).join('\n\n')}\n\ntotal ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
