/**
 * `handoff-journal trigger (CONFIG | SERVICE) [--binary PATH] [--json] [--timeout S]`: what
 * the editor's Trigger Handoff… does, for plain SSH, in the spirit of `kubectl rollout
 * status`: sends the supervisor's trigger line (through the one trigger client,
 * shared/supervisor/node/trigger.ts), prints each journal phase as it appears with the
 * time since the line was sent (journalWatch.ts), then the outcome and the handoff id.
 * Exit 0 committed, 7 aborted or failed inside the supervisor, 5 refused by the
 * supervisor, 4 the socket cannot be reached, 8 no answer in time.
 */
import { formatSeconds, sudoCliLine, visibleText } from '../shared/util';
import { clampDelay } from '../shared/util';
import { serviceName, slowReplyNote, triggerLine, triggerReport, triggerReportText, type TriggerClass } from '../shared/supervisor';
import { loadSupervisorConfig, triggerSupervisor, type SupervisorConfig } from '../shared/supervisor/node';
import { HOST_CONFIG_GLOBS } from '../shared/protocol';
import { EXIT, hostConfigs, UsageError } from './args';
import { JournalFollower, type SeenState } from './journalWatch';
import type { Output } from './output';

export interface TriggerOptions {
  target: string;
  binary?: string;
  json: boolean;
  /** Seconds; default the config's deadline_secs + 10. */
  timeoutS?: number;
}

/** Exit code per class: the table in the help. */
export const TRIGGER_EXIT: Readonly<Record<TriggerClass, number>> = {
  committed: EXIT.ok,
  failed: EXIT.aborted,
  refused: EXIT.refused,
  unreachable: EXIT.io,
  'no-answer': EXIT.noAnswer,
};

/** After this long without a reply or a phase, say why the wait may be another client's. */
const SLOW_MS = 2000;

/** A config path (has a slash or ends in .toml), else a service name among this host's configs. */
async function resolveTarget(target: string, out: Output): Promise<SupervisorConfig | number> {
  if (target.includes('/') || target.endsWith('.toml')) {
    const r = await loadSupervisorConfig(target);
    if (r.ok) return r.config;
    out.error(r.message);
    return r.kind === 'invalid' ? EXIT.undecodable : EXIT.io;
  }
  const loaded = await Promise.all((await hostConfigs()).map((p) => loadSupervisorConfig(p)));
  const configs = loaded.flatMap((r) => (r.ok ? [r.config] : []));
  const named = configs.filter((c) => serviceName({ config: c.path, journal: c.journal }) === target);
  if (named.length === 1) return named[0] as SupervisorConfig;
  if (named.length > 1)
    throw new UsageError(`service ${target} has ${named.length} configs (${named.map((c) => c.path).join(', ')}): name one`);
  const known = configs.map((c) => serviceName({ config: c.path, journal: c.journal }));
  out.error(
    `no supervisor config for service ${target} under ${HOST_CONFIG_GLOBS.join(', ')}${known.length ? ` (services: ${known.join(', ')})` : ''}; name its config: handoff-journal trigger /path/to/handoff.toml`,
  );
  return EXIT.io;
}

/** The default wait: the config's deadline plus 10 s (the supervisor replies when the handoff is over), clamped. */
export function defaultTimeoutMs(c: SupervisorConfig): number {
  return clampDelay((c.deadlineSecs + 10) * 1000);
}

function phaseLine(s: SeenState): string {
  const what = s.phase === null ? 'no journal (deleted: the handoff is over)' : s.phase;
  return `  +${formatSeconds(s.atMs / 1000).padEnd(9)} ${s.handoffId ? `${what.padEnd(13)}  handoff ${s.handoffId}` : what}`;
}

/** How to send the same trigger as root here. */
function asRoot(o: TriggerOptions, c: SupervisorConfig): string {
  return sudoCliLine(['trigger', c.path, ...(o.binary !== undefined ? ['--binary', o.binary] : [])]);
}

export async function triggerCommand(o: TriggerOptions, out: Output): Promise<number> {
  // Checked before anything is read or sent: the supervisor splits its line on white space.
  const line = triggerLine(o.binary);
  if (!line.ok) throw new UsageError(`--binary: ${line.message}`);
  const c = await resolveTarget(o.target, out);
  if (typeof c === 'number') return c;
  const service = serviceName({ config: c.path, journal: c.journal });
  const timeoutMs = o.timeoutS !== undefined ? clampDelay(o.timeoutS * 1000) : defaultTimeoutMs(c);
  const follower = c.journal
    ? new JournalFollower(c.journal, (s) => {
        if (!o.json) out.stdout(`${phaseLine(s)}\n`);
      })
    : undefined;
  await follower?.begin();
  if (!o.json)
    out.stdout(
      `trigger ${visibleText(service)} (${visibleText(c.path)}): sending '${o.binary === undefined ? 'handoff' : `handoff ${visibleText(o.binary)}`}' to ${visibleText(c.triggerSocket)}\n`,
    );
  const slow = setTimeout(() => {
    if (!o.json && (follower?.seen.length ?? 0) === 0) out.stderr(`handoff-journal: ${slowReplyNote(SLOW_MS)}\n`);
  }, SLOW_MS);
  follower?.markStart();
  const r = await triggerSupervisor(c, { ...(o.binary !== undefined ? { binary: o.binary } : {}), timeoutMs, asRoot: asRoot(o, c) });
  clearTimeout(slow);
  await follower?.end();
  if ('refused' in r) throw new UsageError(`--binary: ${r.refused}`);
  const seen = follower?.seen ?? [];
  const report = triggerReport(r.outcome, {
    config: c.path,
    service,
    line: r.line,
    message: r.message,
    reply: r.reply ?? null,
    elapsed_ms: r.elapsedMs,
    journal: c.journal ?? null,
    handoff_id: seen.find((s) => s.handoffId)?.handoffId ?? null,
    phases: seen.map((s) => ({ phase: s.phase, at_ms: s.atMs, handoff_id: s.handoffId })),
  });
  if (o.json) out.stdout(triggerReportText(report));
  else printOutcome(report, out);
  return TRIGGER_EXIT[report.class];
}

function printOutcome(r: ReturnType<typeof triggerReport>, out: Output): void {
  const took = `after ${formatSeconds(r.elapsed_ms / 1000)}`;
  if (r.journal && r.phases.length < 2 && (r.class === 'committed' || r.class === 'failed'))
    out.stdout(
      `  (${r.phases.length === 0 ? 'no phase' : 'one phase'} seen: a handoff writes its journal a few milliseconds apart and deletes it at the end, faster than a watch sees)\n`,
    );
  const what = r.outcome === 'committed' || r.outcome === 'aborted' ? r.outcome : `${r.class} (${r.outcome})`;
  const line = `${what}${r.handoff_id ? `: handoff ${r.handoff_id}` : ''} (${took})`;
  if (r.class === 'committed') out.stdout(`${line}\n`);
  else {
    out.stdout(`${line}\n`);
    out.error(r.message);
  }
}
