/**
 * The custom requests (shared/protocol/messages.ts): ListJournals, for the Journals view and
 * the trigger picker (every journal under the search paths and every supervisor config,
 * each summarised), Diagram (the state-machine SVG of a journal), and HandoffHistory (a
 * service's handoffs from its supervisor's log, for the Journals view's History).
 */
import type { Connection } from 'vscode-languageserver';
import { describeDiagram, renderDiagram } from '../../shared/diagram';
import { expandGlobs } from '../../shared/util/node';
import { inspect, inspectOptions, type Observation } from '../../shared/journal/node';
import {
  DiagramRequest,
  HandoffHistoryRequest,
  ListJournalsRequest,
  type JournalStateParams,
  type ListJournalsParams,
  type ListJournalsResult,
} from '../../shared/protocol';
import type { ServerState } from './state';
import { livenessTable } from './deps';
import { uriToPath } from './uris';
import { diagramInput, journalState } from './view';

/** Strings from an untrusted array (the request's parameters are checked, not trusted). */
function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x: unknown): x is string => typeof x === 'string') : undefined;
}

/** One journal's summary; a tracked journal is re-read too (a watch can lag behind a replaced folder). */
async function summary(s: ServerState, path: string, o: Observation): Promise<JournalStateParams> {
  const tracked = s.store.get(path) ? await s.store.refresh(path) : undefined;
  if (tracked) return journalState(path, tracked.inspection, s.views.get(path)?.findings ?? tracked.inspection.findings, tracked.realPath);
  const limits = s.registry.limitsFor(path);
  const ins = await inspect(path, inspectOptions({ ...o, ...(limits ? { limits } : {}) }));
  return journalState(path, ins, ins.findings);
}

export async function listJournals(s: ServerState, p: Partial<ListJournalsParams> | undefined): Promise<ListJournalsResult> {
  const { paths, truncated, cutShort } = await expandGlobs(strings(p?.patterns) ?? [], typeof p?.limit === 'number' ? p.limit : 10_000);
  await s.registry.discover(strings(p?.configGlobs) ?? s.settings.configGlobs);
  const proc = livenessTable(s.deps, s.settings);
  const o: Observation = {
    encoding: s.settings.encoding,
    now: s.deps.now(),
    deadlineMs: s.settings.staleDeadlineSeconds * 1000,
    ...(proc ? { process: proc } : {}),
  };
  const journals: JournalStateParams[] = [];
  // In small batches: bounded memory and file descriptors for fleet-sized hosts.
  for (let i = 0; i < paths.length; i += 64)
    journals.push(...(await Promise.all(paths.slice(i, i + 64).map((path) => summary(s, path, o)))));
  const services = await s.registry.services({ encoding: o.encoding, now: o.now, ...(proc ? { process: proc } : {}) });
  return {
    // Candidates from literal patterns that turned out not to exist are not journals.
    journals: journals.filter((j) => j.state !== 'missing' || s.store.get(uriToPath(j.uri) ?? '') !== undefined),
    services,
    truncated,
    ...(cutShort ? { cutShort } : {}),
  };
}

export function registerRequests(connection: Connection, s: ServerState): void {
  connection.onRequest(ListJournalsRequest, (p) => listJournals(s, p));
  connection.onRequest(HandoffHistoryRequest, (p) =>
    s.histories.history(String(p?.config ?? ''), typeof p?.limit === 'number' && Number.isFinite(p.limit) ? p.limit : undefined),
  );
  connection.onRequest(DiagramRequest, async (p) => {
    const uri = String(p?.uri);
    const v = await s.viewFor(uri);
    if (!v) return { svg: '', description: `Not a local file: ${uri}` };
    const input = diagramInput(v.j, v.view);
    return { svg: renderDiagram(input, s.deps.now(), false), description: describeDiagram(input), phase: input.phase ?? undefined };
  });
}
