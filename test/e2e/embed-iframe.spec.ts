// An LMS's view (Moodle, Canvas, a Notion-like editor): a course page that can
// only hold an <iframe>, sandboxed, pointing at embed.html with the lab's URL parameters. The frame
// trains to the end in Korean, and the host sizes the frame from the page's height messages.
import { expect, test } from '@playwright/test';

test('embed.html in a sandboxed iframe trains to done and the host sizes the frame from its height messages', async ({ page, baseURL }) => {
  // The host page is served (by the test) from the lab's origin: a page the test serves under another
  // origin may not frame 127.0.0.1 (Chromium's local network access block; the frame shows an error).
  const HOST = `${baseURL}/course/week4.html`;
  const src = `${baseURL}/embed.html?experiment=dropout&models=basic&epochs=1&train-limit=200&test-limit=100&autostart&lang=ko`;
  // The host: the README's listener (only the frame's own messages, only its height).
  await page.route(HOST, (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
        <body style="margin:0"><h1>Week 4: regularization</h1>
        <iframe id="lab" title="overfit-lab" src="${src}" sandbox="allow-scripts allow-same-origin" allow="webgpu" style="width:100%;border:0"></iframe>
        <script>
          window.heights = [];
          window.addEventListener('message', (e) => {
            const frame = document.getElementById('lab');
            if (e.source !== frame.contentWindow || e.data?.type !== 'overfit-lab:height') return;
            window.heights.push(e.data.height);
            frame.style.height = e.data.height + 'px';
          });
        </script></body></html>`,
    }),
  );
  // embed.html under the strict policy (test/e2e/csp.spec.ts), its violations recorded in the frame.
  await page.route('**/embed.html?*', async (route) => {
    const response = await route.fetch();
    const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'report-sample'; img-src 'self' data:; connect-src 'self'";
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} ${e.sample}`));
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('Content Security Policy') && problems.push(m.text()));
  await page.goto(HOST);

  const frame = page.frameLocator('#lab');
  const lab = frame.locator('overfit-lab');
  await expect(lab.getByRole('heading', { name: '드롭아웃', level: 2 })).toBeVisible();
  // The element's default controls: no editor, Keras tools or saved runs.
  await expect(lab.locator('[data-action="run"]')).toBeVisible();
  await expect(lab.locator('[part="runs"]')).toHaveCount(0);
  await expect(lab.locator('[data-action^="export-keras"], [data-action="edit"]')).toHaveCount(0);
  await expect(lab.locator('[part~="card"][data-model="basic"] .epoch')).toHaveText('에폭 1 / 1', { timeout: 90_000 });
  const inner = page.frame({ url: /embed\.html/ })!;
  await inner.waitForFunction(() => document.querySelector('overfit-lab')?.status === 'done', null, { timeout: 90_000 });

  // The host got heights, and the frame is as tall as its content (no inner scrollbar).
  const iframe = page.locator('#lab');
  const contentHeight = () => inner.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const frameHeight = () => iframe.evaluate((f) => f.getBoundingClientRect().height);
  const heights: number[] = await page.evaluate(() => (window as unknown as { heights: number[] }).heights);
  expect(heights.length).toBeGreaterThan(0);
  expect(heights.every((h) => Number.isInteger(h) && h > 0)).toBe(true);
  await expect.poll(frameHeight).toBe(await contentHeight());
  expect(await frameHeight()).toBeGreaterThan(400);
  expect(await inner.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);

  // It follows the content: taller (a note added under the element), then back.
  const before = await frameHeight();
  await inner.evaluate(() => {
    const note = document.createElement('div');
    note.id = 'note';
    note.style.height = '300px';
    document.body.append(note);
  });
  await expect.poll(frameHeight).toBe(before + 300);
  await inner.evaluate(() => document.getElementById('note')!.remove());
  await expect.poll(frameHeight).toBe(before);
  expect(problems).toEqual([]);
  // No violation of the strict policy inside the frame (csp.spec.ts has the same policy).
  expect(await inner.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
