/** The real supervisor output in test/fixtures/logs/ (copied unchanged; see its PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLog, splitLogText, type ParsedLog } from '../../shared/supervisorLog';

export const LOGS = resolve(__dirname, '../fixtures/logs');

export function fixtureText(name: string): string {
  return readFileSync(resolve(LOGS, name), 'utf8');
}

export function fixtureLog(name: string): ParsedLog {
  return parseLog(splitLogText(fixtureText(name)));
}
