/** Conversions between journal paths, `file:` URIs and `handoff-journal:` URIs. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toFileUri, toVirtualUri } from '../../shared/protocol';

/** The local path of a `file:` or `handoff-journal:` URI, or undefined for anything else. */
export function uriToPath(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const fileUri = toFileUri(uri);
  if (!fileUri.startsWith('file:')) return undefined;
  try {
    const url = new URL(fileUri);
    if (url.host !== '' && url.host !== 'localhost') return undefined;
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

export function pathToVirtualUri(path: string): string {
  return toVirtualUri(pathToFileURL(path).href);
}

export function pathToFileUri(path: string): string {
  return pathToFileURL(path).href;
}
