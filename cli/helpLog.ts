/**
 * The help of the commands that read the supervisor's log or export metrics: metrics
 * (every metric documented from the tables that also write their HELP lines), history
 * and exporter, with the source options they share.
 */
import { HANDOFF_COUNTERS, HANDOFF_HISTOGRAMS, LOG_COUNTERS, LOG_READABLE, METRIC_FAMILIES } from '../shared/fleet';
import { examples, wrap } from './helpFormat';
import { DEFAULT_STATE_DIR } from './logOptions';

const KV = '/var/lib/beyond/handoff/kv/state.bin';

/** The metrics command's help, documenting every metric from the one table that also writes their HELP lines. */
export function metricsHelp(usage: string): string {
  const families = METRIC_FAMILIES.map(
    (f) => `  ${f.name}${f.labels.length ? `{${f.labels.join(',')}}` : ''}\n${wrap(f.help, 88, '      ')}`,
  );
  const counters = [...HANDOFF_COUNTERS, ...HANDOFF_HISTOGRAMS, LOG_READABLE, ...LOG_COUNTERS].map(
    (f) => `  ${f.name}{service}\n${wrap(f.help, 88, '      ')}`,
  );
  return `${usage}

This host's supervisors and journals as Prometheus gauges, and upstream's handoff counters
and histograms counted from the supervisors' logs (text exposition format), for
node_exporter's textfile collector. CONFIG defaults to the same configs as status
(/etc/handoff, /etc/handoff-supervisor, /etc/beyond); SERVICE is a service as status
names it, or a systemd unit (NAME.service). Each journal is checked as 'handoff-journal
show' checks it, against its config's deadline_secs and drain_grace_secs.
  --journal PATH  also a journal without a config (service: its folder's name; the
                  reference supervisor's defaults, deadline 60 s and drain grace 25 s)
  --textfile DIR  write DIR/handoff-journal.prom instead of printing, atomically (temp
                  file handoff-journal.bin.tmp, fsync, rename, fsync DIR); DIR must exist
  --state-dir DIR where the position reached in each log and the totals are kept
                  (DIR/metrics.state.json, written atomically; default ${DEFAULT_STATE_DIR})
${LOG_SOURCES_HELP}
The counters: each run reads the log from the saved position to its end and adds what
ended there to the saved totals, so a 15 s timer never counts a handoff twice or drops
one; a first run starts at the log's current end. Printing (no --textfile) reads the
saved state but does not move it. Without a named source, journald is read only on a
host that keeps one. A config, journal or log that cannot be read never stops the run: it
is exported as such (handoff_supervisor_config_valid 0, handoff_journal_readable 0,
handoff_journal_log_readable 0) and explained on stderr.
Labels: service (from the config, as status names it), journal (absolute path).

Journal gauges:
${families.join('\n')}

Handoff metrics from the log (counters, histograms with buckets from 1 ms to 60 s):
${counters.join('\n')}

Alert and recording rules, installed by the .deb in /usr/share/handoff-journal/prometheus/
(contrib/prometheus/ in the sources); the Grafana dashboard in
/usr/share/handoff-journal/grafana/ (contrib/grafana/); the systemd units
handoff-journal-metrics.timer and handoff-journal-exporter.service in /lib/systemd/system/
(contrib/systemd/). README, "Fleet monitoring".
${examples([
  'handoff-journal metrics',
  `handoff-journal metrics /etc/handoff/kv.toml --journal ${KV}`,
  'sudo handoff-journal metrics --textfile /var/lib/prometheus/node-exporter',
  'handoff-journal metrics /etc/handoff/kv.toml --log-file /var/log/kv-supervisor.log --state-dir /var/lib/prometheus/node-exporter',
])}Exit: 0 printed or written, 2 usage, 4 the textfile or the state cannot be written.
`;
}

/** The source options, as history, metrics and exporter share them. */
const LOG_SOURCES_HELP = `  --log-file [SERVICE=]PATH  read this supervisor log file instead of journald (repeat
                  for several services; SERVICE defaults to the one CONFIG or SERVICE given)
  --journal-file PATH  read this journald file (journalctl --file) instead of the system journal
  --journal-dir DIR    read the journald files in this directory (e.g. copied from another host)
By default journald is read: the systemd unit of each service's supervisor (from the live
process on its trigger socket, the journal's writer, or the latest journald line naming
its trigger socket).`;

export function historyHelp(usage: string): string {
  return `${usage}

Every handoff the supervisors' logs show in a time window, one line each: its start, the
service, the handoff id, the outcome (committed; aborted and why, marked seal failure or
rolled back; unknown when the log never says how it ended) and the supervisor's own times
(total, drain, seal, begin-to-ready); then a summary: the count, the failures, and the
p50 and p99 of the total time of committed handoffs.
  --since TIME    from this time (default: 24 hours ago); TIME is 2026-12-02,
                  '2026-12-02 18:48', 2026-12-02T18:48:14Z, @UNIX_SECONDS, '2h ago',
                  --since=-2h (with '=': it starts with a dash), today or yesterday
                  (local time without a zone)
  --until TIME    up to this time (default: now); a handoff started before it is followed
                  two minutes past it, so its outcome is read
  --json          one JSON object: {"handoffs":[{"id","service","start","end","outcome",
                  "reason","sealFailure","rolledBack","totalSeconds","drainSeconds",
                  "sealSeconds","beginToReadySeconds","supervisorPid","successorPid",
                  "lastStep"}...],"summary":{"count","committed","failures","aborted",
                  "unknown","sealFailures","rolledBack","p50TotalSeconds","p99TotalSeconds"},
                  "sources","since","until","notes"}; a time the log does not give is null
${LOG_SOURCES_HELP}
A failure is every handoff that did not commit: aborted (handoff.abort), or unknown (the
supervisor died, started again, or gave up without logging an outcome; or the log ends
mid-handoff). The same records make the exporter's and the textfile's counters; they
count a handoff open at the log's end once its supervisor's pid is gone or 30 s after its
deadline_ms passed.
${examples([
  'handoff-journal history',
  'handoff-journal history kv --since today --json',
  'handoff-journal history /etc/handoff/kv.toml --log-file /var/log/kv-supervisor.log',
  'handoff-journal history handoff-kv.service --since=-1h',
])}Exit: 0 read (even with no handoff), 2 usage, 4 no log could be read (no journald, permission,
unreadable file, failed or timed-out journalctl; said on stderr).
`;
}

export function exporterHelp(usage: string): string {
  return `${usage}

A long-running Prometheus exporter: /metrics serves the same metrics as 'handoff-journal
metrics' (see its help), the journal gauges observed at each scrape and the handoff
counters and histograms counted from the supervisors' logs as they are written
(journalctl --follow, or the log files followed through rotation); / is a small page.
  --listen ADDR   HOST:PORT, [IPv6]:PORT or :PORT for every address (default ${DEFAULT_LISTEN_TEXT}:
                  loopback only; 9469 is used by no common exporter)
  --journal PATH  also a journal without a config (as for metrics)
  --state-dir DIR where the position in each log and the totals are saved
                  (DIR/exporter.state.json, atomically, about once a second and on stop;
                  default ${DEFAULT_STATE_DIR}, systemd's StateDirectory)
${LOG_SOURCES_HELP}
It starts from its saved position (or, the first time, from the log's current end) and
reads up to the log's end before it listens, so a restart continues the counters rather
than recounting or dropping a handoff; a lost position (journald vacuumed past it, a
rotated file gone) is said on stderr and counted in handoff_journal_log_cursor_lost_total.
Stop it with SIGTERM (systemctl stop): it saves its state first.
${examples([
  'sudo handoff-journal exporter /etc/handoff/kv.toml --state-dir /var/lib/handoff-journal',
  'sudo handoff-journal exporter --listen :9469 --log-file kv=/var/log/kv-supervisor.log --state-dir /var/lib/handoff-journal',
])}Exit: 0 stopped by a signal, 2 usage, 4 cannot listen.
`;
}

const DEFAULT_LISTEN_TEXT = '127.0.0.1:9469';
