/**
 * Reading and answering the workbench's panels as a person would: the Problems panel,
 * notification toasts, modal dialogs (code-server shows them in the page, as
 * `.monaco-dialog-box`), the status bar, code lenses, hovers and tree views.
 */
import type { Locator, Page } from 'playwright-core';
import { waitFor, type El } from './wait';

const matches = (pattern: RegExp | string, text: string): boolean =>
  typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);

export interface ProblemRow {
  /** `file` for a file row, else the marker's severity. */
  kind: 'file' | 'error' | 'warning' | 'info';
  /** The marker message (or the file name for a file row). */
  message: string;
  /** e.g. `handoff-journal`. */
  source: string;
  /** e.g. `HJ040`. */
  code: string;
  /** e.g. `[Ln 5, Col 1]`. */
  location: string;
  ariaLabel: string;
}

/** Opens the Problems panel (if closed) and reads its rows. */
export async function problems(page: Page): Promise<ProblemRow[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Shift+M' : 'Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  }
  return panel.locator('.monaco-list-row').evaluateAll((rows: El[]) =>
    rows.map((r) => {
      const icon = r.querySelector('.marker-icon');
      const cls = icon?.className ?? '';
      const kind = icon === null ? 'file' : /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : 'info';
      const text = (sel: string): string => (r.querySelector(sel)?.textContent ?? '').trim();
      return {
        kind,
        message: icon === null ? text('.label-name') : text('.marker-message'),
        source: text('.marker-source'),
        code: text('.marker-code'),
        location: text('.marker-line'),
        ariaLabel: r.getAttribute('aria-label') ?? '',
      } as const;
    }),
  );
}

export interface Toast {
  message: string;
  source: string;
  buttons: string[];
  /** Links VS Code made in the message (from `[label](command:…)` text), as their labels. */
  links: string[];
  severity: 'error' | 'warning' | 'info';
}

/** The notification toasts on screen now (toasts hide themselves after a while). */
export async function notifications(page: Page): Promise<Toast[]> {
  return page.locator('.notifications-toasts .notification-toast-container').evaluateAll((els: El[]) =>
    els
      .filter((e) => e.offsetParent !== null)
      .map((e) => {
        const cls = e.querySelector('.notification-list-item-icon')?.className ?? '';
        return {
          message: (e.querySelector('.notification-list-item-message')?.innerText ?? '').trim(),
          source: (e.querySelector('.notification-list-item-source')?.textContent ?? '').trim().replace(/^Source: /, ''),
          buttons: Array.from(e.querySelectorAll('.notification-list-item-buttons-container .monaco-button')).map((b) =>
            (b.textContent ?? '').trim(),
          ),
          links: Array.from(e.querySelectorAll('.notification-list-item-message a')).map((a) => (a.textContent ?? '').trim()),
          severity: /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : 'info',
        } as const;
      }),
  );
}

export async function waitForNotification(page: Page, pattern: RegExp | string, timeoutMs = 15_000): Promise<Toast> {
  const list = await waitFor(
    () => notifications(page),
    `a notification ${String(pattern)}`,
    timeoutMs,
    (ts) => ts.some((t) => matches(pattern, t.message)),
  );
  return list.find((t) => matches(pattern, t.message)) as Toast;
}

/** Clicks a button (exact text, or a RegExp) on the toast whose message matches. */
export async function clickNotificationButton(
  page: Page,
  pattern: RegExp | string,
  button: RegExp | string,
  timeoutMs = 15_000,
): Promise<Toast> {
  const toast = await waitForNotification(page, pattern, timeoutMs);
  const index = toast.buttons.findIndex((b) => (typeof button === 'string' ? b === button : button.test(b)));
  if (index < 0) throw new Error(`notification "${toast.message}" has no button ${String(button)} (buttons: ${toast.buttons.join(', ')})`);
  const container = page.locator('.notifications-toasts .notification-toast-container').filter({
    has: page.locator('.notification-list-item-message', { hasText: toast.message.slice(0, 80) }),
  });
  await container.first().locator('.notification-list-item-buttons-container .monaco-button').nth(index).click();
  return toast;
}

/**
 * Every notification in the Notification Center, including toasts that already hid
 * themselves (newest first). Opens the center with the status bar bell and closes it again.
 */
export async function notificationCenter(page: Page): Promise<Toast[]> {
  const center = page.locator('.notifications-center');
  const bell = page.locator('.statusbar-item[id="status.notifications"] a, .statusbar-item[id="status.notifications"]').first();
  const wasOpen = await center.isVisible();
  if (!wasOpen) {
    await bell.click();
    await center.waitFor({ state: 'visible', timeout: 5000 });
  }
  const items = await center.locator('.notification-list-item').evaluateAll((els: El[]) =>
    els.map((e) => {
      const cls = e.querySelector('.notification-list-item-icon')?.className ?? '';
      return {
        message: (e.querySelector('.notification-list-item-message')?.innerText ?? '').trim(),
        source: (e.querySelector('.notification-list-item-source')?.textContent ?? '').trim().replace(/^Source: /, ''),
        buttons: Array.from(e.querySelectorAll('.notification-list-item-buttons-container .monaco-button')).map((b) =>
          (b.textContent ?? '').trim(),
        ),
        links: Array.from(e.querySelectorAll('.notification-list-item-message a')).map((a) => (a.textContent ?? '').trim()),
        severity: /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : 'info',
      } as const;
    }),
  );
  if (!wasOpen) {
    await bell.click();
    await center.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
  return items;
}

/** Dismisses every notification (command "Notifications: Clear All Notifications"). */
export async function clearNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.notifications-toasts .notification-toast-container .codicon-notifications-clear');
  for (let i = 0; i < 20 && (await toasts.count()) > 0; i++)
    await toasts
      .first()
      .click({ force: true })
      .catch(() => undefined);
}

export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
  checkbox?: { label: string; checked: boolean };
}

/** The modal dialog on screen, if any. */
export async function dialog(page: Page): Promise<Dialog | undefined> {
  const box = page.locator('.monaco-dialog-box');
  if ((await box.count()) === 0 || !(await box.first().isVisible())) return undefined;
  return box.first().evaluate((b: El) => {
    const cb = b.querySelector('.dialog-checkbox-row');
    return {
      message: (b.querySelector('.dialog-message-text')?.innerText ?? '').trim(),
      detail: (b.querySelector('.dialog-message-detail')?.innerText ?? '').trim(),
      buttons: Array.from(b.querySelectorAll('.dialog-buttons .monaco-button')).map((x) => (x.textContent ?? '').trim()),
      checkbox: cb
        ? {
            label: (cb.querySelector('.dialog-checkbox-message')?.textContent ?? '').trim(),
            checked: cb.querySelector('.monaco-custom-toggle')?.classList.contains('checked') ?? false,
          }
        : undefined,
    };
  });
}

/** Waits for a modal dialog and clicks the button with this text; returns what it said. */
export async function answerDialog(page: Page, button: RegExp | string, timeoutMs = 15_000): Promise<Dialog> {
  const d = (await waitFor(() => dialog(page), 'a modal dialog', timeoutMs)) as Dialog;
  const index = d.buttons.findIndex((b) => (typeof button === 'string' ? b === button : button.test(b)));
  if (index < 0) throw new Error(`dialog "${d.message}" has no button ${String(button)} (buttons: ${d.buttons.join(', ')})`);
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').nth(index).click();
  await page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 10_000 });
  return d;
}

/** Status bar entries as `aria-label | text`. */
export async function statusBarItems(page: Page): Promise<string[]> {
  return page
    .locator('.statusbar-item')
    .evaluateAll((els: El[]) => els.map((e) => `${e.getAttribute('aria-label') ?? ''} | ${(e.textContent ?? '').trim()}`));
}

/** Code lens texts in the active editor. */
export async function codeLenses(page: Page): Promise<string[]> {
  return page
    .locator('.editor-group-container.active .codelens-decoration a, .editor-group-container.active .codelens-decoration span')
    .evaluateAll((els: El[]) => els.map((e) => (e.textContent ?? '').trim()).filter((t) => t !== '' && t !== '|'));
}

export async function clickCodeLens(page: Page, text: RegExp | string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    () => codeLenses(page),
    `a code lens ${String(text)}`,
    timeoutMs,
    (ls) => ls.some((l) => matches(text, l)),
  );
  const link = page.locator('.editor-group-container.active .codelens-decoration a').filter({ hasText: text });
  await link.first().click();
}

/** Hovers the first occurrence of `text` in the active editor and returns the hover's text. */
export async function hoverAt(page: Page, text: string, timeoutMs = 10_000): Promise<string> {
  const span = page.locator('.editor-group-container.active .view-lines .view-line span span', { hasText: text }).first();
  await span.hover();
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover-content').first();
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await hover.innerText()).trim();
}

export interface TreeRow {
  label: string;
  description: string;
  level: number;
  expanded: boolean | undefined;
  ariaLabel: string;
  /** The codicon name of the row's icon, e.g. `warning`. */
  icon: string;
}

/** The side bar view with this title (e.g. `Handoff Journals`), expanded if it was collapsed. */
export async function view(page: Page, viewTitle: string): Promise<Locator> {
  const pane = page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: viewTitle }) })
    .first();
  const header = pane.locator('.pane-header').first();
  await header.waitFor({ timeout: 10_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') {
    await header.click();
    await pane.locator('.pane-body').waitFor({ state: 'visible', timeout: 10_000 });
  }
  return pane;
}

/** Rows of a side bar tree view (only those rendered: the list is virtualised). */
export async function viewRows(page: Page, viewTitle: string): Promise<TreeRow[]> {
  const pane = await view(page, viewTitle);
  return pane.locator('.pane-body .monaco-list-row').evaluateAll((rows: El[]) =>
    rows.map((r) => {
      const e = r.getAttribute('aria-expanded');
      return {
        label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        level: Number(r.getAttribute('aria-level')),
        expanded: e === null ? undefined : e === 'true',
        ariaLabel: r.getAttribute('aria-label') ?? '',
        icon: /codicon-([\w-]+)/.exec(r.querySelector('.codicon')?.className ?? '')?.[1] ?? '',
      };
    }),
  );
}

/** The row of a side bar tree view whose label matches, e.g. to click or right-click it. */
export async function viewRow(page: Page, viewTitle: string, label: string | RegExp, timeoutMs = 10_000): Promise<Locator> {
  await waitFor(
    () => viewRows(page, viewTitle),
    `a row ${String(label)} in ${viewTitle}`,
    timeoutMs,
    (rows) => rows.some((r) => (typeof label === 'string' ? r.label === label : label.test(r.label))),
  );
  const pane = await view(page, viewTitle);
  return pane
    .locator('.pane-body .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) })
    .first();
}
