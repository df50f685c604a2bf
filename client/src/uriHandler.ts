/**
 * `vscode://handoff-journal.handoff-journal/open?path=JOURNAL` (an alert's link from
 * Alertmanager or Grafana): opens that journal decoded. The path is data: it is opened
 * only when the journal rule accepts it (a file named state.bin or a configured journal
 * name pattern, or the `journal` of a discovered supervisor config, after `..` and
 * symlinks are resolved), never run, and any other link is refused with a warning.
 */
import * as vscode from 'vscode';
import { checkJournalPath } from '../../shared/journal/node';
import { ListJournalsRequest } from '../../shared/protocol';
import { cleanText } from '../../shared/util';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import * as notify from './notify';
import { openDecoded } from './openers';

/** The one parameter, `path=`, as given (VS Code has already decoded the query: a path may hold `&` or `=`). */
export function pathParameter(query: string): string | undefined {
  return query.startsWith('path=') ? query.slice('path='.length) : undefined;
}

/** The journals the discovered supervisor configs name (they count as journals whatever their name). */
async function configJournals(ctx: Ctx): Promise<string[]> {
  try {
    const client = await ctx.client();
    const r = await client.sendRequest(ListJournalsRequest, { patterns: [], configGlobs: expandSearchPaths(readConfig().configGlobs) });
    return r.services.flatMap((s) => (s.journal ? [s.journal] : []));
  } catch {
    return [];
  }
}

export async function handleOpenUri(ctx: Ctx, uri: vscode.Uri): Promise<void> {
  const shown = cleanText(uri.toString(true)).slice(0, 300);
  ctx.log.info(`link: ${shown}`);
  const path = uri.path === '/open' ? pathParameter(uri.query) : undefined;
  if (path === undefined) {
    void notify.warn(`cannot open the link ${shown}: the extension opens vscode://${uri.authority}/open?path=JOURNAL only.`);
    return;
  }
  if (!path.startsWith('/') || path.includes('\u0000')) {
    void notify.warn(`cannot open the link: ${cleanText(path).slice(0, 300)} is not an absolute path.`);
    return;
  }
  const why = await checkJournalPath(path, { patterns: readConfig().patterns, configJournals: await configJournals(ctx) });
  if (why !== undefined) {
    void notify.warn(`the link was not opened: ${cleanText(why)}`);
    return;
  }
  await openDecoded(ctx, vscode.Uri.file(path));
}

export function registerUriHandler(ctx: Ctx): void {
  ctx.push(
    vscode.window.registerUriHandler({ handleUri: (uri) => void handleOpenUri(ctx, uri).catch((e: unknown) => ctx.log.error(String(e))) }),
  );
}
