// A course platform's strict Content-Security-Policy: nothing inline, nothing eval'd. The lab page,
// the iframe page, the article example and the library build each load and train a short run
// under it with no page error, no console error and no `securitypolicyviolation` event but the
// known ones listed below (each a finding reported to the owner of its file).
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { waitForStatus } from './helpers.ts';

/** The policy (README, "Embedding in an iframe"); 'report-sample' only makes a violation name what it blocked. */
const STRICT_CSP = "default-src 'self'; script-src 'self' 'report-sample'; style-src 'self' 'report-sample'; img-src 'self' data:; connect-src 'self'";

/**
 * Violations known today (none: the inline <style> of index.html and examples/article.html went to
 * files, and the inline style properties go through the CSSOM, src/ui/overfit-lab/css-props.ts).
 * A violation is matched by directive, file and blocked text, so any other one fails the test, and
 * so does an entry once it no longer happens.
 */
type Known = Omit<Violation, 'line'>;
const KNOWN: Record<'lab' | 'embed' | 'article' | 'library', Known[]> = { lab: [], embed: [], article: [], library: [] };

/** No violation but the known ones, and each known one still there (else: drop it from KNOWN). */
function expectOnlyKnown(seen: Violation[], known: Known[]): void {
  const matches = (v: Violation, k: Known) => v.directive === k.directive && v.blocked === k.blocked && v.source === k.source && v.sample.startsWith(k.sample);
  expect(seen.filter((v) => !known.some((k) => matches(v, k)))).toEqual([]);
  for (const k of known)
    expect(
      seen.some((v) => matches(v, k)),
      `known violation ${JSON.stringify(k)} no longer happens: drop it from KNOWN`,
    ).toBe(true);
}

interface Violation {
  directive: string;
  blocked: string;
  source: string;
  line: number;
  sample: string;
}

/** Serves every document with the strict policy and records, from the first script on, what it blocks. */
async function underStrictCsp(page: Page): Promise<{ problems: string[]; violations: () => Promise<Violation[]> }> {
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } });
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: unknown[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        source: e.sourceFile.replace(/^.*\/\/[^/]+/, '').replace(/-[\w-]{8}\.js$/, '.js'),
        line: e.lineNumber,
        sample: e.sample,
      }),
    );
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // (The console's 'Refused to apply ...' lines are the violations, checked one by one above.)
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('Content Security Policy') && problems.push(`console: ${m.text()}`));
  return { problems, violations: () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp) };
}

const RUN = 'experiment=dropout&models=basic&epochs=1&train-limit=200&test-limit=100&autostart&lang=en';

/** A short run to the end, then a look at the card (its colour from a class, its progress through the CSSOM) and a chart tooltip. */
async function shortRun(page: Page): Promise<void> {
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done']);
  const card = lab.locator('[part~="card"][data-model="basic"]');
  await expect(card.locator('.epoch')).toHaveText('Epoch 1 / 1');
  expect(await card.evaluate((c) => getComputedStyle(c).borderTopColor)).toBe('rgb(0, 114, 178)'); // --overfit-color-1
  // The chart's tooltip (swatches coloured through the CSSOM) under the cursor.
  const over = lab.locator('[data-chart] .u-over').first();
  await over.scrollIntoViewIfNeeded();
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(lab.locator('[data-chart] .tip').first()).toBeVisible();
}

test('the lab page under a strict CSP: a short run, no violation', async ({ page }) => {
  const { problems, violations } = await underStrictCsp(page);
  await page.goto(`/?${RUN}`);
  await shortRun(page);
  expectOnlyKnown(await violations(), KNOWN.lab);
  expect(problems).toEqual([]);
});

test('the iframe page (embed.html) under a strict CSP: a short run, no violation', async ({ page }) => {
  const { problems, violations } = await underStrictCsp(page);
  await page.goto(`/embed.html?${RUN}`);
  await shortRun(page);
  expectOnlyKnown(await violations(), KNOWN.embed);
  expect(problems).toEqual([]);
});

test('the article example under a strict CSP: a short run, no violation', async ({ page }) => {
  const { problems, violations } = await underStrictCsp(page);
  await page.goto('/examples/article.html?epochs=1&train-limit=200&test-limit=100&autostart');
  await waitForStatus(page, ['done']);
  await expect(page.locator('overfit-lab [data-model="dropout"] .epoch')).toHaveText('Epoch 1 / 1');
  expectOnlyKnown(await violations(), KNOWN.article);
  expect(problems).toEqual([]);
});

test('the library build (one <script type="module">) under a strict CSP: a short run, no violation', async ({ page }) => {
  const lib = readFileSync('dist/lib/overfit-lab.js', 'utf8');
  const { problems, violations } = await underStrictCsp(page);
  await page.route('**/course/overfit-lab.js', (r) => r.fulfill({ body: lib, contentType: 'text/javascript' }));
  await page.route('**/course/page.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': STRICT_CSP },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <script type="module" src="/course/overfit-lab.js"></script></head>
        <body><overfit-lab experiment="dropout" models="basic" epochs="1" train-limit="200" test-limit="100" data-base="/data" autostart></overfit-lab></body></html>`,
    }),
  );
  await page.goto('/course/page.html');
  await shortRun(page);
  expectOnlyKnown(await violations(), KNOWN.library);
  expect(problems).toEqual([]);
});
