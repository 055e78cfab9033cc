// The lab page's responsiveness budget (`npm run test:perf`, not `npm test`): the small batch-norm
// run of test/e2e/lab.spec.ts, watched for long main-thread tasks once epochs flow.
import { expect, test } from '@playwright/test';
import { events, longTasks, recordEvents, waitForEvents, waitForStatus, WIDE } from '../../e2e/helpers.ts';

const SMALL = 'epochs=2&train-limit=500&test-limit=500';

test.use({ viewport: WIDE });

test('the page stays responsive while it trains: no main-thread task over 500 ms once epochs flow', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  await lab.getByRole('radio', { name: 'Batch norm' }).check();
  await expect(lab.locator('[part="card"]')).toHaveCount(2);

  const before = (await longTasks(page)).length;
  await lab.getByRole('button', { name: 'Start' }).click();
  await waitForEvents(page, 'overfit-epoch', 1);
  await waitForStatus(page, ['done']);
  // Loading and decoding the data set before the first epoch is the data loader's business (its
  // own budget is in test/perf/browser/data-loader.test.ts).
  const firstEpoch = (await events(page, 'overfit-epoch'))[0].t;
  const tasks = (await longTasks(page)).slice(before);
  info.annotations.push({ type: 'long tasks (start ms, duration ms)', description: JSON.stringify(tasks.map((x) => [x.start, x.duration])) });
  console.log(`long tasks (start ms, duration ms): ${JSON.stringify(tasks.map((x) => [x.start, x.duration]))}`);
  expect(Math.max(0, ...tasks.filter((x) => x.start > firstEpoch).map((x) => x.duration))).toBeLessThan(500);
});
