/**
 * The README's diagnostic-code table, generated from the code table (shared/journal/findings.ts) so
 * the two cannot drift: `node --import tsx scripts/codesTable.ts` prints it,
 * `npm run codes:readme` rewrites the README between the two marker comments, and
 * test/unit/codes.test.ts fails when the README differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_CODES, CODES } from '../shared/journal';

export const BEGIN_MARKER = '<!-- codes:begin (generated from shared/journal/findings.ts: npm run codes:readme) -->';
export const END_MARKER = '<!-- codes:end -->';

/** A Markdown table cell: a `|` would end the cell early. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The table as Prettier lays it out (columns padded to their widest cell). */
export function codesTable(): string {
  const rows = [
    ['code', 'severity', 'meaning', 'what to do'],
    ...ALL_CODES.map((code) => [code, CODES[code].severity, cell(CODES[code].title), cell(CODES[code].fix)]),
  ];
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: readonly string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const [head, ...body] = rows as [string[], ...string[][]];
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Where the generated section starts and ends: just after the begin marker, at the end marker. */
function section(readme: string): [number, number] {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`the README has no "${BEGIN_MARKER}" ... "${END_MARKER}" section`);
  return [begin + BEGIN_MARKER.length, end];
}

/** The text between the markers, as the README has it now. */
export function codesSection(readme: string): string {
  const [from, to] = section(readme);
  return readme.slice(from, to).trim();
}

/** `readme` with the text between the markers replaced by the generated table. */
export function withCodesTable(readme: string): string {
  const [from, to] = section(readme);
  return `${readme.slice(0, from)}\n\n${codesTable()}\n\n${readme.slice(to)}`;
}

if (require.main === module) {
  const i = process.argv.indexOf('--write');
  const file = i >= 0 ? process.argv[i + 1] : undefined;
  if (i >= 0 && !file) {
    console.error('usage: node --import tsx scripts/codesTable.ts [--write README.md]');
    process.exit(2);
  }
  if (file) writeFileSync(file, withCodesTable(readFileSync(file, 'utf8')));
  else console.log(codesTable());
}
