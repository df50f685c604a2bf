/**
 * The language server in process beside a fake supervisor with the real one's timing, whose
 * log file the server reads (`logFiles`): the setup of the supervisor-log and History tests.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { procProcessTable } from '../../shared/journal/node';
import { startFakeSupervisor, writeFakeConfig, type FakeConfigPaths, type FakeSupervisor } from './fakeSupervisor';
import { TestClient, testDeps } from './lspClient';

export interface SupervisedServer {
  kv: FakeConfigPaths;
  sup: FakeSupervisor;
  c: TestClient;
  /** The supervisor's log file, as `logFiles` names it for the service kv. */
  logFile: string;
  /** Closes the client, then stops the supervisor. */
  close(): Promise<void>;
}

/**
 * Service kv under `root` (config in root/etc), its supervisor started, a trusted server
 * initialized on it. `journalFolder`: the supervisor has run before (its journal's folder
 * exists), so the server watches it from the start.
 */
export async function startSupervisedServer(root: string, o: { journalFolder?: boolean } = {}): Promise<SupervisedServer> {
  const kv = writeFakeConfig(root, 'kv');
  const logFile = join(root, 'kv-supervisor.log');
  if (o.journalFolder) mkdirSync(dirname(kv.journal), { recursive: true });
  const sup = await startFakeSupervisor(kv.config, undefined, { logFile });
  const c = TestClient.inProcess(testDeps(Date.now(), {}, { processTable: procProcessTable, now: () => Date.now() }));
  await c.initialize({
    trusted: true,
    storagePath: join(root, 'storage'),
    configGlobs: [join(root, 'etc/*.toml')],
    logFiles: { kv: logFile },
  });
  return {
    kv,
    sup,
    c,
    logFile,
    close: async () => {
      await c.close();
      await sup.stop();
    },
  };
}
