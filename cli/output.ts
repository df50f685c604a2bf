/** Text and JSON output of the CLI, help texts, and the stdout/stderr seam. */
import { journalToJsonText } from '../shared/codec/json';
import { renderDiagram } from '../shared/diagram';
import type { Inspection } from '../shared/node/inspect';
import { METRIC_FAMILIES } from '../shared/fleetMetrics';
import { render } from '../shared/render';
import { cleanText, shellLine } from '../shared/text';
import type { ProcessInfo } from '../shared/validate';

export interface Output {
  stdout(s: string): void;
  stdoutBytes(b: Uint8Array): void;
  /** Our own text for stderr (help, usage), written as it is. */
  stderr(s: string): void;
  /** One error line, `handoff-journal: <message>`: the message names paths and values, so it is sanitised into one line. */
  error(message: string): void;
  color: boolean;
}

export function processOutput(): Output {
  return {
    stdout: (s) => void process.stdout.write(s),
    stdoutBytes: (b) => void process.stdout.write(b),
    stderr: (s) => void process.stderr.write(s),
    // Messages name paths, link targets and config values: nothing in them may drive
    // the terminal or start a line of its own.
    error: (m) => void process.stderr.write(`handoff-journal: ${cleanText(m)}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
  };
}

const SGR: Record<string, string> = { error: '31', warning: '33', information: '36' };

/** Colours the severity word of finding rows (`  error ...`): our colour, on our own text. */
export function colourSeverities(text: string): string {
  return text.replace(/^( {2})(error|warning|information)\b/gm, (_m, sp: string, sev: string) => `${sp}\x1b[${SGR[sev]}m${sev}\x1b[0m`);
}

/** The same command line run as root, quoted for a POSIX shell. */
/** The command line that does the same as root (quoted for a POSIX shell). */
export function sudoLine(argv: string[]): string {
  return `sudo ${shellLine(['handoff-journal', ...argv])}`;
}

export function showText(
  ins: Inspection,
  o: { raw: boolean; now: number; process: ((pid: number) => ProcessInfo) | undefined },
  out: Output,
): void {
  const { text } = render({
    path: ins.path,
    file: ins.file,
    findings: ins.findings,
    now: o.now,
    raw: o.raw,
    ...(ins.decoded ? { decoded: ins.decoded } : {}),
    ...(o.process ? { process: o.process } : {}),
  });
  const colored = out.color ? colourSeverities(text) : text;
  if (ins.file.state === 'ok') out.stdout(colored);
  else {
    out.stdout(colored);
    if (ins.file.state === 'missing') out.error(`no journal at ${ins.path}: no handoff in flight`);
    else out.error(ins.file.message);
  }
}

/**
 * One JSON object. `journal` uses serde_json's field names and order and exact
 * integers, so it is spliced in as text rather than passed through JSON.stringify.
 */
export function showJson(ins: Inspection): string {
  const head = {
    path: ins.path,
    encoding: ins.decoded?.encoding ?? null,
    size: ins.file.state === 'ok' ? ins.file.bytes.length : null,
  };
  const findings = ins.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message }));
  let journal = 'null';
  let error: unknown = null;
  if (ins.decoded?.ok) journal = journalToJsonText(ins.decoded.journal);
  else if (ins.decoded) error = { kind: ins.decoded.kind, offset: ins.decoded.offset, message: ins.decoded.message };
  else if (ins.file.state === 'missing')
    error = {
      kind: 'missing',
      offset: null,
      message: `no journal at ${ins.path}: no handoff in flight${ins.file.note ? ` (${ins.file.note})` : ''}`,
    };
  else if (ins.fileError) error = { kind: ins.fileError.kind, offset: null, message: ins.fileError.message };
  const h = JSON.stringify(head);
  return `${h.slice(0, -1)},"journal":${journal},"findings":${JSON.stringify(findings)},"error":${JSON.stringify(error)}}\n`;
}

/** The state-machine diagram as a standalone SVG (one observation: now). */
export function showSvg(ins: Inspection, now: number): string {
  const phase = ins.file.state === 'missing' ? null : ins.decoded?.ok ? ins.decoded.journal.phase : undefined;
  const message = phase === undefined ? 'cannot be decoded' : 'observed by handoff-journal show';
  return `${renderDiagram({ phase, title: ins.path, findings: ins.findings, history: [{ at: now, phase: phase ?? null, verdict: phase === undefined ? 'error' : 'none', message }] }, now)}\n`;
}

/** Greedy word wrap for help texts. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, indent + line].join('\n');
}

/** The metrics command's help, documenting every metric from the one table that also writes their HELP lines. */
function metricsHelp(): string {
  const families = METRIC_FAMILIES.map(
    (f) => `  ${f.name}${f.labels.length ? `{${f.labels.join(',')}}` : ''}\n${wrap(f.help, 88, '      ')}`,
  );
  return `Usage: handoff-journal metrics [CONFIG...] [--journal PATH...] [--textfile DIR]

This host's supervisors and journals as Prometheus gauges (text exposition format), for
node_exporter's textfile collector. CONFIG defaults to the same configs as status
(/etc/handoff, /etc/handoff-supervisor, /etc/beyond). Each journal is checked as
'handoff-journal show' checks it, against its config's deadline_secs and drain_grace_secs.
  --journal PATH  also a journal without a config (service: its folder's name; the
                  reference supervisor's defaults, deadline 60 s and drain grace 25 s)
  --textfile DIR  write DIR/handoff-journal.prom instead of printing, atomically (temp
                  file handoff-journal.bin.tmp, fsync, rename, fsync DIR); DIR must exist
A config or journal that cannot be read never stops the run: it is exported as such
(handoff_supervisor_config_valid 0, handoff_journal_readable 0) and explained on stderr.
Labels: service (from the config, as status names it), journal (absolute path).

Metrics (all gauges):
${families.join('\n')}

Alert rules: contrib/prometheus/handoff-journal.rules.yml; systemd units:
contrib/systemd/ (README, "Fleet monitoring").
Exit: 0 printed or written, 2 usage, 4 the textfile cannot be written.
`;
}

export const HELP = {
  main: `handoff-journal: read, check and repair the handoff supervisor's state.bin journal

Usage:
  handoff-journal show FILE [--json | --svg] [--raw] [--encoding auto|postcard|msgpack|json]
  handoff-journal reset FILE --phase NAME [--new-id] [--now] [--force]
  handoff-journal delete FILE [--force]
  handoff-journal restore FILE (--bytes HEX | --absent) (--expect HEX | --expect-absent | --force)
  handoff-journal delete-tmp FILE
  handoff-journal encode --phase NAME --id UUID --incumbent N [--successor N] --started MS
                         [--encoding postcard|msgpack|msgpack-named|json] -o FILE
  handoff-journal status [CONFIG...] [--json]
  handoff-journal metrics [CONFIG...] [--journal PATH...] [--textfile DIR]
  handoff-journal log (FILE | --id UUID) [--log-file PATH | --journal-file PATH | --journal-dir DIR] [--json]

Run 'handoff-journal COMMAND --help' for details.
Exit codes: 0 ok, 2 usage, 3 not a decodable journal, 4 cannot read/write the file,
5 refused (protocol-illegal change or live handoff; add --force), 6 (log) no log lines
for the handoff.
`,
  show: `Usage: handoff-journal show FILE [--json | --svg] [--raw] [--encoding auto|postcard|msgpack|json]

Decodes FILE and prints every field with its human reading and the findings.
  --json      one JSON object: {"path","encoding","size","journal","findings","error"}
  --svg       the state-machine diagram with the current phase, as SVG on stdout
  --raw       add the bytes of every field and a hex dump
  --encoding  force an encoding instead of detecting it (default auto)
Exit: 0 decoded, 3 cannot decode, 4 cannot read (missing, not a regular file, permission).
`,
  reset: `Usage: handoff-journal reset FILE --phase NAME [--new-id] [--now] [--force]

Rewrites FILE with another phase, atomically (tmp file, fsync, rename, fsync dir), in
the file's own encoding. Phases: Negotiating, Draining, Sealing, AwaitingReady,
Committed, ResumingAfterAbort.
  --new-id  a fresh random (v4) handoff_id: a new handoff, which must start at Negotiating
  --now     set started_at_unix_ms to now
  --force   do it even when the protocol forbids the change or a handoff looks live
Exit: 0 done, 3 FILE is not a journal, 4 cannot read/write, 5 refused.
`,
  delete: `Usage: handoff-journal delete FILE [--force]

Deletes the journal (a missing one is fine) and a leftover temp file next to it.
Refuses a file that does not decode as a journal, or a live handoff, unless --force.
Exit: 0 done, 3 FILE is not a journal, 4 cannot delete, 5 refused.
`,
  status: `Usage: handoff-journal status [CONFIG...] [--json]

For every reference-supervisor config (handoff-supervisor --config FILE; by default
those under /etc/handoff, /etc/handoff-supervisor, /etc/beyond): the service, its
journal's phase, age and findings (judged against the config's deadline_secs and
drain_grace_secs), the binary, listeners, and whether the control and trigger
sockets are bound by a live process (read from /proc; the sockets are never
connected to). A config without \`journal\` shows "journaling off".
Exit: 0 ok, 3 a config is invalid, 4 a config cannot be read.
`,
  metrics: metricsHelp(),
  log: `Usage: handoff-journal log (FILE | --id UUID) [--log-file PATH | --journal-file PATH | --journal-dir DIR] [--json]

Prints the supervisor's log lines of one handoff and a summary: its steps, the journal
phase each left on disk, the durations the supervisor measured, the outcome (committed,
aborted and why, cleared on restart, or unknown when the log ends mid-handoff) and
findings. Daemon output interleaved with the supervisor's (the daemons share its stderr)
is kept and marked "daemon output (not the supervisor)"; '!' marks errors and aborts.
  FILE            a journal (state.bin): its handoff_id, its incumbent_pid (the
                  supervisor's pid) and started_at select the lines
  --id UUID       a handoff id, e.g. from a trigger reply
  --journal-file  read this journald file (journalctl --file) instead of the system journal
  --journal-dir   read the journald files in this directory (e.g. copied from another host)
  --log-file      read this log file instead of journald
  --json          one JSON object: {"id","source","outcome","sentence","diskAtEnd",
                  "durations","events","findings","lines","error"}
By default the system journal is read with journalctl: by pid and unit from a minute
before the handoff started (FILE), or by searching for the id (--id).
Examples:
  handoff-journal log /var/lib/beyond/handoff/kv/state.bin
  handoff-journal log --id 4b4eb536-b111-436b-8bd5-cef9bc3ac924 --log-file /var/log/kv-supervisor.log
  sudo handoff-journal log state.bin --json
Exit: 0 found, 3 FILE is not a journal, 4 cannot read the journal or the log (no
journald, permission, unreadable file, failed or timed-out journalctl), 6 the log has
no lines for this handoff (rotated away, or another supervisor's log).
`,
  restore: `Usage: handoff-journal restore FILE (--bytes HEX | --absent) (--expect HEX | --expect-absent | --force)

Puts a journal back as it was: writes HEX atomically (it must decode as a journal), or
removes the journal with --absent. It first checks that the journal holds what --expect
says (--expect-absent: no journal), so a change the supervisor made since is never
overwritten; --force skips that check. This is what the extension's Undo Last Change
runs through sudo. Only journals (state.bin, or a config's journal) are touched.
Examples:
  sudo handoff-journal restore /var/lib/beyond/handoff/kv/state.bin --bytes 10a1b2... --expect 10a1b2...
  sudo handoff-journal restore /var/lib/beyond/handoff/kv/state.bin --absent --expect 10a1b2...
Exit: 0 done, 2 usage, 3 not a journal, 4 cannot read/write, 5 changed since (use --force).
`,
  'delete-tmp': `Usage: handoff-journal delete-tmp FILE

Deletes the leftover temp file next to the journal FILE (state.bin.tmp: a writer died
between writing it and renaming it). Only a regular file is removed.
Example:
  sudo handoff-journal delete-tmp /var/lib/beyond/handoff/kv/state.bin
Exit: 0 done (or nothing to delete), 3 FILE is not a journal, 4 cannot delete.
`,
  encode: `Usage: handoff-journal encode --phase NAME --id UUID --incumbent N [--successor N]
                              --started MS [--encoding ENC] -o FILE

Writes a journal (atomically) for tests, demos and reproductions. ENC is postcard
(default, the supervisor's state.bin), msgpack, msgpack-named or json. -o - writes the
bytes to stdout. Without --successor, successor_pid is None.
`,
};
