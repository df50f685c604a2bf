/**
 * The current supervisor's observed behaviour in test/fixtures/supervisor-0.2/ (copied
 * unchanged; see its README): what each trigger client saw (`NAME.reply.json`), the
 * config errors (`*.stderr`), the config that started (`cfg-main.toml`) and the logs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLog, splitLogText, type ParsedLog } from '../../shared/supervisorLog';

export const SUP02 = resolve(__dirname, '../fixtures/supervisor-0.2');

/** What the fixture run's client recorded (reply text, elapsed s, errors). */
export interface ReplyFile {
  uid?: number;
  mode?: string;
  connected?: boolean;
  connect_error?: string;
  recv_error?: string;
  send_error?: string;
  bytes_sent?: number;
  elapsed?: number;
  reply?: string;
  supervisor_pid?: number;
}

export function sup02Text(name: string): string {
  return readFileSync(resolve(SUP02, name), 'utf8');
}

export function sup02Log(name: string): ParsedLog {
  return parseLog(splitLogText(sup02Text(name)));
}

/** Every `*.reply.json` of a trigger client (the startup files only hold the supervisor's pid). */
export function replyFiles(): { name: string; reply: ReplyFile }[] {
  return readdirSync(SUP02)
    .filter((f) => f.endsWith('.reply.json'))
    .map((f) => ({ name: f.replace(/\.reply\.json$/, ''), reply: JSON.parse(sup02Text(f)) as ReplyFile }))
    .filter((r) => r.reply.supervisor_pid === undefined);
}

export function sup02Files(suffix: string): string[] {
  return readdirSync(SUP02).filter((f) => f.endsWith(suffix));
}
