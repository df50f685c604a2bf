/**
 * `handoff-journal show FILE`: the report (text, JSON or SVG) on stdout, always, and one
 * line on stderr when FILE is not a decodable journal, saying why. A directory gets the
 * journals in it named, as `show` commands, and so do `reset` and `delete` (refuseDirectory).
 */
import type { EncodingChoice } from '../shared/journal';
import {
  directoryMessage,
  directorySuggestions,
  isDirectory,
  journalsUnder,
  type JournalsUnder,
  inspect,
  inspectOptions,
  type Inspection,
} from '../shared/journal/node';
import { cleanText } from '../shared/util';
import { showJson, showSvg, showText, type Output } from './output';
import { EXIT, type Observation } from './args';

export interface ShowOptions {
  json: boolean;
  svg: boolean;
  raw: boolean;
  encoding: EncodingChoice;
}

/** The journals in `path` when it is a directory (a journal path that cannot be one). */
async function directoryAt(path: string): Promise<JournalsUnder | undefined> {
  return (await isDirectory(path)) ? journalsUnder(path) : undefined;
}

/** The stderr lines about a directory: what it is, then one command line per journal in it. */
function tellDirectory(found: JournalsUnder, argv: string[], out: Output, prefix = ''): void {
  out.error(prefix + directoryMessage(found));
  // The lines name paths from the file system: quoted for a shell, and never control text.
  for (const line of directorySuggestions(found, argv)) out.stderr(`  ${cleanText(line)}\n`);
}

/** The inspection of a directory, saying so instead of "not a regular file". */
function asDirectory(ins: Inspection, message: string): Inspection {
  return {
    ...ins,
    file: { state: 'error', message },
    ...(ins.fileError ? { fileError: { ...ins.fileError, message } } : {}),
    findings: ins.findings.map((f) => (f.code === 'HJ080' ? { ...f, message } : f)),
  };
}

export async function show(path: string, o: ShowOptions, argv: string[], e: Observation, out: Output): Promise<number> {
  let ins = await inspect(path, inspectOptions({ ...e, encoding: o.encoding }));
  const dir = ins.file.state === 'error' ? await directoryAt(path) : undefined;
  if (dir) ins = asDirectory(ins, directoryMessage(dir));
  if (o.json) out.stdout(showJson(ins, dir));
  else if (o.svg) out.stdout(showSvg(ins, e.now));
  else showText(ins, { raw: o.raw, now: e.now, process: e.process }, out);
  if (dir) return (tellDirectory(dir, argv, out), EXIT.io);
  if (ins.file.state === 'missing') {
    out.error(`no journal at ${path}: no handoff in flight${ins.file.note ? ` (${ins.file.note})` : ''}`);
    return EXIT.io;
  }
  if (ins.file.state === 'error') return (out.error(ins.file.message), EXIT.io);
  if (ins.decoded && !ins.decoded.ok) return (out.error(`${path}: cannot decode: ${ins.decoded.message}`), EXIT.undecodable);
  return EXIT.ok;
}

/** For `reset` and `delete`: a directory is refused (nothing is changed) with its journals named; exit 4. */
export async function refuseDirectory(path: string, argv: string[], out: Output): Promise<number | undefined> {
  const dir = await directoryAt(path);
  if (!dir) return undefined;
  tellDirectory(dir, argv, out, 'refusing: ');
  return EXIT.io;
}
