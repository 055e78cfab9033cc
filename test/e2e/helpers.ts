// Shared by the end-to-end specs: event recording, status waits, deep focus, screenshots.
import { mkdirSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';

export interface Recorded {
  type: string;
  bubbles: boolean;
  composed: boolean;
  target: string;
  /** performance.now() when it arrived. */
  t: number;
  // biome-ignore lint/suspicious/noExplicitAny: event details of several shapes, read field by field in the specs
  detail: any;
}

/** Records every overfit-* event that reaches `document` (so: bubbling), from the first script on. */
export async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __events: unknown[] };
    w.__events = [];
    // Main-thread tasks over 50 ms (the page must stay responsive while it trains).
    const lt = window as unknown as { __longTasks: { start: number; duration: number }[] };
    lt.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) lt.__longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
    const plain = (_k: string, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v);
    for (const type of ['overfit-epoch', 'overfit-done', 'overfit-error'])
      document.addEventListener(type, (e) => {
        w.__events.push({
          type,
          t: performance.now(),
          bubbles: e.bubbles,
          composed: e.composed,
          target: (e.target as Element).tagName.toLowerCase(),
          detail: JSON.parse(JSON.stringify((e as CustomEvent).detail, plain)),
        });
      });
  });
}

export const events = (page: Page, type?: string): Promise<Recorded[]> =>
  page.evaluate((t) => ((window as unknown as { __events: Recorded[] }).__events ?? []).filter((e) => !t || e.type === t), type);

export async function waitForEvents(page: Page, type: string, count: number, timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    ([t, n]) => ((window as unknown as { __events: { type: string }[] }).__events ?? []).filter((e) => e.type === t).length >= (n as number),
    [type, count] as const,
    { timeout },
  );
}

export const status = (page: Page): Promise<string> => page.evaluate(() => document.querySelector('overfit-lab')!.status);

export async function waitForStatus(page: Page, statuses: string[], timeout = 90_000): Promise<string> {
  await page.waitForFunction((s) => s.includes(document.querySelector('overfit-lab')?.status ?? ''), statuses, { timeout });
  return status(page);
}

/** The focused element through shadow roots: its data-action, or its tag. */
export const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? (a.getAttribute('data-action') ?? a.getAttribute('name') ?? a.tagName.toLowerCase()) : '';
  });

/** Presses Tab until the element with this data-action has focus (keyboard only, no clicks). */
export async function tabTo(page: Page, action: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === action) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached [data-action=${action}]; focus is on ${await focused(page)}`);
}

export const SHOTS = 'test-results/screenshots';

/** A full-page screenshot kept under test-results/screenshots and attached to the report. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 390, height: 844 };

export const longTasks = (page: Page): Promise<{ start: number; duration: number }[]> =>
  page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);

/** What a chart drew (charts-controller's data-* marks). */
export const drawn = (page: Page, kind: string) =>
  page
    .locator('overfit-lab')
    .locator(`[data-chart="${kind}"]`)
    .evaluate((el: HTMLElement) => ({ ...el.dataset }));
