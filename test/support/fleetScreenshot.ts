/**
 * A screenshot of Prometheus's own alerts page, taken with Debian's chromium through
 * playwright-core (as the e2e suite does). Without chromium it fails, saying so.
 */
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../e2e/browser';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Opens the alerts page (`/alerts`; Debian's build serves only the classic UI, at
 * `/classic/alerts`), waits until the rules are drawn, expands the active ones, saves a
 * PNG; returns what it did.
 */
export async function screenshotAlerts(promUrl: string, out: string): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed: apt-get install -y chromium (npm test does it as root)`);
  const home = mkdtempSync(join(tmpdir(), 'hj-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const r = await page.goto(`${promUrl}/alerts`, { timeout: 30_000 });
    if (r?.status() === 404) await page.goto(`${promUrl}/classic/alerts`, { timeout: 30_000 });
    await page.getByText('HandoffStuck').first().waitFor({ timeout: 30_000 });
    // Classic UI: a rule's alerts are folded under its header row; unfold the active ones.
    for (const header of await page.locator('tr.alert_header:not(.alert-success)').all()) await header.click();
    // Presentation only: the rule text (the rules file itself) is hidden so that the page
    // shows the alerts, and the fixed navigation bar stays at the top of a full-page shot.
    await page.addStyleTag({
      content:
        'tr.alert_details pre { display: none !important } nav.navbar { position: static !important } body { padding-top: 0 !important }',
    });
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    return `screenshot saved to ${out}`;
  } finally {
    await browser.close();
    rmSync(home, { recursive: true, force: true });
  }
}
