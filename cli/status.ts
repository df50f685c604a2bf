/** `handoff-journal status [CONFIG...]`: every supervisor's service, journal and sockets. */
import { HOST_CONFIG_GLOBS } from '../shared/protocol';
import { type ConfigResult, loadSupervisorConfig, serviceStatus, type ServiceStatus } from '../shared/supervisor/node';
import { allowedBinariesText, allowedUidsText, NEEDS_02, versionNote } from '../shared/supervisor';
import { formatAge, cleanText, escapeJsonText, jsonText } from '../shared/util';
import { journalToJsonText } from '../shared/journal';
import { hostConfigs, type Observation } from './args';
import type { Output } from './output';

function journalLine(s: ServiceStatus, now: number): string {
  const c = s.config;
  if (!c.journal) return 'journaling off (no `journal` key in the config)';
  const j = s.journal;
  if (!j || j.file.state === 'missing') return `${c.journal}: idle (no journal: no handoff in flight)`;
  if (j.file.state === 'error') return `${c.journal}: cannot read: ${j.file.message}`;
  const d = j.decoded;
  if (!d?.ok) return `${c.journal}: cannot decode: ${d?.message ?? ''}`;
  const counts = ['error', 'warning']
    .map((sev) => [sev, j.findings.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0);
  return `${c.journal}: ${d.journal.phase}, started ${formatAge(now - Number(d.journal.started_at_unix_ms))}${counts.map(([sev, n]) => `, ${n} ${sev}${n === 1 ? '' : 's'}`).join('')}`;
}

function text(s: ServiceStatus, now: number): string {
  const c = s.config;
  const rows = [
    ['journal', journalLine(s, now)],
    ['binary', [c.binary, ...c.args].join(' ')],
    ['listeners', c.listeners.length ? c.listeners.map((l) => `${l.name} ${l.addr}`).join(', ') : 'none'],
    ['deadlines', `deadline ${c.deadlineSecs} s, drain grace ${c.drainGraceSecs} s`],
    ['control socket', `${c.controlSocket}: ${s.control.summary}`],
    ['trigger socket', `${c.triggerSocket}: ${s.trigger.summary}`],
    ['allowed uids', allowedUidsText(s.allowedUsers)],
    ['allowed binaries', allowedBinariesText(c.allowedBinaries)],
    ...(c.newFields.length ? [['version', versionNote(c.newFields) as string]] : []),
  ];
  // Config values (paths, binary, args, listener names) are data: each goes through the
  // one sanitiser, so none can start a line of its own or drive the terminal.
  const findings = (s.journal?.findings ?? []).map((f) => `    ${f.severity.padEnd(12)}${f.code}  ${cleanText(f.message)}`);
  return [
    `${cleanText(s.name)}  (${cleanText(c.path)})`,
    ...rows.map(([k, v]) => `  ${(k as string).padEnd(18)}${cleanText(v as string)}`),
    ...findings,
  ].join('\n');
}

function json(s: ServiceStatus): string {
  const c = s.config;
  const sock = (x: ServiceStatus['control']): object => ({ path: x.path, exists: x.exists, bound: x.bound ?? null, summary: x.summary });
  const d = s.journal?.decoded;
  const state = s.journal
    ? `{"file":${JSON.stringify(s.journal.file.state)},"journal":${d?.ok ? journalToJsonText(d.journal) : 'null'},"findings":${JSON.stringify(s.journal.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message })))}}`
    : 'null';
  const head = jsonText({
    config: c.path,
    name: s.name,
    journal: c.journal ?? null,
    binary: c.binary,
    args: c.args,
    listeners: c.listeners,
    deadline_secs: c.deadlineSecs,
    drain_grace_secs: c.drainGraceSecs,
    control_socket: sock(s.control),
    trigger_socket: sock(s.trigger),
    allowed_uids: s.allowedUsers.map((u) => ({ uid: u.uid, user: u.name ?? null })),
    allowed_binaries: c.allowedBinaries,
    needs_version: c.newFields.length ? { version: '0.2', fields: c.newFields, message: NEEDS_02 } : null,
  });
  return escapeJsonText(`${head.slice(0, -1)},"state":${state}}`);
}

export async function status(configs: string[], asJson: boolean, o: Observation, out: Output): Promise<number> {
  const paths = configs.length ? configs : await hostConfigs();
  if (paths.length === 0) {
    out.error(`no supervisor configs found under ${HOST_CONFIG_GLOBS.join(', ')}; name one: handoff-journal status /path/to/handoff.toml`);
    if (asJson) out.stdout('{"services":[],"errors":[]}\n');
    return 0;
  }
  const loaded: ConfigResult[] = await Promise.all(paths.map((p) => loadSupervisorConfig(p)));
  const services: ServiceStatus[] = [];
  for (const r of loaded) if (r.ok) services.push(await serviceStatus(r.config, o));
  const errors = loaded.filter((r): r is Extract<ConfigResult, { ok: false }> => !r.ok);
  if (asJson) {
    out.stdout(
      `{"services":[${services.map(json).join(',')}],"errors":${jsonText(errors.map((e) => ({ config: e.path, message: e.message })))}}\n`,
    );
  } else {
    out.stdout(services.map((s) => text(s, o.now)).join('\n\n') + (services.length ? '\n' : ''));
  }
  for (const e of errors) out.error(e.message);
  // Exit 4: a config cannot be read (missing included); 3: one was read and is invalid.
  if (errors.some((e) => e.kind === 'missing' || e.kind === 'unreadable')) return 4;
  return errors.length ? 3 : 0;
}
