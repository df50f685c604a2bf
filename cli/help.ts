/**
 * The CLI's help texts, in one table: the main usage and each command's `--help` (the
 * same text `handoff-journal help COMMAND` prints). Every command's help ends with
 * Examples: real invocations, which test/cli runs against a sandbox copy of the paths.
 */
import { PHASES } from '../shared/journal';
import type { CommandName } from './commandTable';
import { examples } from './helpFormat';
import { exporterHelp, historyHelp, metricsHelp } from './helpLog';

const KV = '/var/lib/beyond/handoff/kv/state.bin';
const ID = '4b4eb536-b111-436b-8bd5-cef9bc3ac924';
/** A Sealing journal's bytes (the Rust crates' test/fixtures/rust/postcard/064-typical-sealing.bin). */
const SEALING_HEX = '103f2a9c1e5b7d4e8fa1c2d3e4f5a6b7c802d20901ae2c80d095ffbc31';

/** One line per command, for the main usage and the zsh completion's descriptions. */
export const COMMAND_SUMMARY: Readonly<Record<CommandName, string>> = {
  show: 'decode and check a journal (or list the journals in a directory)',
  reset: 'rewrite a journal with another phase, atomically',
  delete: 'delete a journal and its leftover temp file',
  restore: "put a journal's earlier bytes back (what Undo Last Change runs through sudo)",
  'delete-tmp': "delete a journal's leftover temp file (state.bin.tmp)",
  encode: 'write a journal from field values',
  status: "every supervisor's service, journal and sockets on this host",
  metrics: "Prometheus metrics for the textfile collector: journal gauges, upstream's handoff counters",
  exporter: 'a Prometheus exporter serving the same metrics over HTTP, following the log live',
  history: "every handoff in the supervisors' logs: outcome, times, failures, p50/p99",
  log: "the supervisor's log lines of one handoff, with a summary",
  trigger: "trigger a handoff through a supervisor's trigger socket and follow it",
  completion: 'print a bash or zsh completion script',
  help: "print a command's help",
};

/** Each command's synopsis; a second line (\n) is indented under the first's operands. */
export const SYNOPSIS: Readonly<Record<CommandName, string>> = {
  show: 'show FILE [--json | --svg] [--raw] [--encoding auto|postcard|msgpack|json]',
  reset: 'reset FILE --phase NAME [--new-id] [--now] [--force] [--encoding ENC] [--config CONFIG...]',
  delete: 'delete FILE [--force] [--config CONFIG...]',
  restore: 'restore FILE (--bytes HEX | --absent) (--expect HEX | --expect-absent | --force) [--config CONFIG...]',
  'delete-tmp': 'delete-tmp FILE [--config CONFIG...]',
  encode:
    'encode --phase NAME --id UUID --incumbent N [--successor N] --started MS\n[--encoding postcard|msgpack|msgpack-named|json] -o FILE',
  status: 'status [CONFIG...] [--json]',
  metrics:
    'metrics [CONFIG | SERVICE...] [--journal PATH...] [--textfile DIR] [--state-dir DIR]\n[--log-file [SERVICE=]PATH... | --journal-file PATH | --journal-dir DIR]',
  exporter:
    'exporter [CONFIG | SERVICE...] [--listen ADDR] [--journal PATH...] [--state-dir DIR]\n[--log-file [SERVICE=]PATH... | --journal-file PATH | --journal-dir DIR]',
  history:
    'history [CONFIG | SERVICE...] [--since TIME] [--until TIME] [--json]\n[--log-file [SERVICE=]PATH... | --journal-file PATH | --journal-dir DIR]',
  log: 'log (FILE | --id UUID) [--log-file PATH | --journal-file PATH | --journal-dir DIR] [--json]',
  trigger: 'trigger (CONFIG | SERVICE) [--binary PATH] [--json] [--timeout S]',
  completion: 'completion bash|zsh',
  help: 'help [COMMAND]',
};

function synopsis(name: CommandName, lead: string): string {
  return `${lead}${SYNOPSIS[name].replace(/\n/g, `\n${' '.repeat(lead.length + name.length + 1)}`)}`;
}

function usage(name: CommandName): string {
  return synopsis(name, 'Usage: handoff-journal ');
}

function mainHelp(): string {
  const names = Object.keys(SYNOPSIS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return `handoff-journal: read, check and repair the handoff supervisor's state.bin journal

Usage:
${names.map((n) => synopsis(n, '  handoff-journal ')).join('\n')}
  handoff-journal --version

Commands:
${names.map((n) => `  ${n.padEnd(width)}${COMMAND_SUMMARY[n]}`).join('\n')}

Run 'handoff-journal COMMAND --help' (or 'handoff-journal help COMMAND') for details and examples.
Exit codes: 0 ok, 2 usage, 3 not a decodable journal, 4 cannot read/write the file (or it is
a directory), 5 refused (protocol-illegal change or live handoff; add --force; trigger: by
the supervisor), 6 (log) no log lines for the handoff, 7 (trigger) aborted or failed, 8
(trigger) no answer in time.
`;
}

export const HELP: Readonly<Record<CommandName | 'main', string>> = {
  main: mainHelp(),
  show: `${usage('show')}

Decodes FILE and prints every field with its human reading and the findings. A FILE that
does not decode still gets its report on stdout, and one line on stderr says why. A
directory is not a journal: show names the journals in it (DIR/state.bin, DIR/*/state.bin).
  --json      one JSON object: {"path","encoding","size","journal","findings","error"};
              for a directory, error is {"kind":"directory",...,"journals":[...]}
  --svg       the state-machine diagram with the current phase, as SVG on stdout
  --raw       add the bytes of every field and a hex dump
  --encoding  force an encoding instead of detecting it (default auto)
${examples([`handoff-journal show ${KV}`, `handoff-journal show ${KV} --json`, `handoff-journal show ${KV} --raw --encoding postcard`, `handoff-journal show ${KV} --svg > kv.svg`, 'handoff-journal show /var/lib/beyond/handoff'])}Exit: 0 decoded, 3 cannot decode, 4 cannot read (missing, a directory, not a regular file,
permission).
`,
  reset: `${usage('reset')}

Rewrites FILE with another phase, atomically (tmp file, fsync, rename, fsync dir), in
the file's own encoding. Only journals are changed: files named state.bin, and the
\`journal\` of a supervisor config (those under /etc/handoff, /etc/handoff-supervisor,
/etc/beyond, and each --config CONFIG), as itself, never through a symlink. As root
(sudo) a config counts only when it is installed on the host: its real path under /etc,
it and every folder above owned by root and writable by no one else (or it names its
service's /var/lib/beyond/handoff/<service>/state.bin). Phases: ${PHASES.join(', ')}.
  --new-id    a fresh random (v4) handoff_id: a new handoff, which must start at Negotiating
  --now       set started_at_unix_ms to now
  --force     do it even when the protocol forbids the change or a handoff looks live
  --encoding  decode FILE as this encoding instead of detecting it (default auto)
  --config    a supervisor config whose \`journal\` may be changed too (repeatable)
  --json      print the change report as one JSON object (bytes before and after as hex)
${examples([`sudo handoff-journal reset ${KV} --phase AwaitingReady`, `sudo handoff-journal reset ${KV} --phase Negotiating --new-id --now`, `sudo handoff-journal reset ${KV} --phase Draining --force`, 'sudo handoff-journal reset /srv/kv/journal.bin --phase Committed --config /etc/handoff/kv.toml'])}Exit: 0 done, 3 FILE is not a journal, 4 cannot read/write (or FILE is a directory), 5 refused.
`,
  delete: `${usage('delete')}

Deletes the journal (a missing one is fine) and a leftover temp file next to it.
Refuses a file that does not decode as a journal, or a live handoff, unless --force;
refuses a directory always, and names the journals in it.
  --force   delete it even when it does not decode or a handoff looks live
  --config  a supervisor config whose \`journal\` may be deleted too (repeatable)
  --json    print the change report as one JSON object
${examples([`sudo handoff-journal delete ${KV}`, `sudo handoff-journal delete ${KV} --force`])}Exit: 0 done, 3 FILE is not a journal, 4 cannot delete (or FILE is a directory), 5 refused.
`,
  restore: `${usage('restore')}

Puts a journal back as it was: writes HEX atomically (the bytes must decode as a
journal), or removes the journal with --absent. It first checks that the journal holds
what --expect says (--expect-absent: no journal now), so a change the supervisor made
since is never overwritten; --force skips that check. This is what the extension's Undo
Last Change runs through sudo. Only journals are touched (state.bin, or a config's).
  --bytes HEX      the bytes to write back (as printed after "previous bytes", or "before" of --json)
  --absent         remove the journal instead (there was none before)
  --expect HEX     what the journal must hold now (as printed after "written bytes", or "after" of --json)
  --expect-absent  there must be no journal now
  --force          restore without checking what the journal holds now
  --config         a supervisor config whose \`journal\` may be restored too (repeatable)
  --json           print the change report as one JSON object
${examples([`sudo handoff-journal restore ${KV} --bytes ${SEALING_HEX} --expect-absent`, `sudo handoff-journal restore ${KV} --absent --expect ${SEALING_HEX}`])}Exit: 0 done, 3 the bytes or FILE are not a journal, 4 cannot read/write, 5 FILE changed
since (use --force).
`,
  'delete-tmp': `${usage('delete-tmp')}

Deletes the leftover temp file next to the journal FILE (state.bin.tmp: a writer died
between writing it and renaming it). Only a regular file is removed.
  --config  a supervisor config whose \`journal\`'s temp file may be deleted too (repeatable)
  --json    print the change report as one JSON object
${examples([`sudo handoff-journal delete-tmp ${KV}`])}Exit: 0 done (or nothing to delete), 3 FILE is not a journal, 4 cannot delete.
`,
  status: `${usage('status')}

For every reference-supervisor config (handoff-supervisor --config FILE; by default
those under /etc/handoff, /etc/handoff-supervisor, /etc/beyond): the service, its
journal's phase, age and findings (judged against the config's deadline_secs and
drain_grace_secs), the binary, listeners, and whether the control and trigger
sockets are bound by a live process (read from /proc; the sockets are never
connected to). A config without \`journal\` shows "journaling off".
  --json  one JSON array, an object per config
${examples(['handoff-journal status', 'handoff-journal status /etc/handoff/kv.toml --json'])}Exit: 0 ok, 3 a config is invalid, 4 a config cannot be read.
`,
  metrics: metricsHelp(usage('metrics')),
  exporter: exporterHelp(usage('exporter')),
  history: historyHelp(usage('history')),
  log: `${usage('log')}

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
${examples([`handoff-journal log ${KV}`, `handoff-journal log --id ${ID} --log-file /var/log/kv-supervisor.log`, `sudo handoff-journal log ${KV} --json`])}Exit: 0 found, 3 FILE is not a journal, 4 cannot read the journal or the log (no
journald, permission, unreadable file, failed or timed-out journalctl), 6 the log has
no lines for this handoff (rotated away, or another supervisor's log).
`,
  trigger: `${usage('trigger')}

Sends the reference supervisor's trigger line (handoff [BINARY]) to the trigger socket of
CONFIG, or of the config of SERVICE among this host's (as status finds them), and follows
the handoff: each phase of its journal as it appears, with the time since the line was
sent, then the outcome and the handoff id. A real handoff takes about 5 ms, so usually few
phases are seen; a slow drain or seal shows each. beyond-handoff 0.2's trigger socket is
0600 root: run it as root (sudo), or be in the config's allowed_uids; a binary other than
\`binary\` must be in allowed_binaries. The supervisor serves one trigger client at a time
and waits up to 10 s for each client's line, so another client may hold it for up to 10 s.
  --binary PATH  the new process's binary (default: the config's \`binary\`); a path with
                 white space or control characters is refused before anything is sent
  --json         one JSON object: {"config","service","line","outcome","class",
                 "handoff_id","reason","message","reply","elapsed_ms","journal","phases"}
  --timeout S    give up waiting for the reply after S seconds (default: the config's
                 deadline_secs + 10); the handoff may still finish
${examples(['handoff-journal trigger /etc/handoff/kv.toml', 'sudo handoff-journal trigger kv --json', 'sudo handoff-journal trigger kv --binary /usr/local/bin/kv-daemon-next --timeout 120'])}Exit: 0 committed, 7 aborted (or failed inside the supervisor: err: perform_handoff), 5
refused by the supervisor (not permitted, binary not allowed or missing, unknown command),
4 cannot reach the socket (missing, not listening, permission; or no such config), 8 no
answer within --timeout (or the connection closed without one), 3 the config is invalid.
`,
  encode: `${usage('encode')}

Writes a journal (atomically) for tests, demos and reproductions. An existing FILE is
replaced only when it is a journal.
  --phase NAME      ${PHASES.join(', ')}
  --id UUID         handoff_id
  --incumbent N     incumbent_pid (the supervisor's pid), 0..4294967295
  --successor N     successor_pid; without it, None
  --started MS      started_at_unix_ms (unix milliseconds)
  --encoding ENC    postcard (default, the supervisor's state.bin), msgpack,
                    msgpack-named or json
  -o, --output FILE where to write; - writes the bytes to stdout
${examples([`handoff-journal encode --phase Sealing --id ${ID} --incumbent 1234 --successor 5678 --started 1700000000000 -o state.bin`, `handoff-journal encode --phase Committed --id ${ID} --incumbent 1234 --started 1700000000000 --encoding json -o -`])}Exit: 0 written, 2 usage, 3 FILE exists and is not a journal, 4 cannot write.
`,
  completion: `${usage('completion')}

Prints a completion script for bash or zsh: commands, each command's options, phase
names after --phase, encodings after --encoding, files and directories where a command takes
them.
${examples(['source <(handoff-journal completion bash)', 'handoff-journal completion bash > /etc/bash_completion.d/handoff-journal', 'handoff-journal completion zsh > /usr/local/share/zsh/site-functions/_handoff-journal'])}Exit: 0 printed, 2 usage (no or another shell).
`,
  help: `${usage('help')}

Prints the help of COMMAND (the same as 'handoff-journal COMMAND --help'), or the
overview without COMMAND.
${examples(['handoff-journal help reset', 'handoff-journal help'])}Exit: 0 printed, 2 unknown command.
`,
};
