// The dashboard in a real browser against a running Gonka node: Debian's Chromium driven by
// playwright-core. Run by node/tests/dashboard.rs (which starts the node, the workers, a
// gateway session and a referendum, then checks what this script saw against the chain), or by
// hand against scripts/run-dev.sh:
//
//   GONKA_RPC=ws://127.0.0.1:9944 GONKA_REFERENDUM=0 node tests/e2e.mjs
//
// Environment:
//   GONKA_RPC          node WebSocket URL (required)
//   GONKA_REFERENDUM   index of an ongoing referendum Alice votes Nay on from the page (required)
//   GONKA_SESSION      an open session with a paid request the market page must list (optional)
//   GONKA_PROPOSE_CALL call data Bob proposes from the page on the root track (optional)
//   GONKA_SCREENSHOTS  directory for page screenshots (default: ./screenshots)
//   CHROMIUM           browser executable (default: /usr/bin/chromium)
//
// Prints one line `RESULT {json}`: what the pages showed (epoch, block, weights, tally), for the
// caller to compare with the chain. Exits non-zero on the first failed expectation.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rpc = process.env.GONKA_RPC;
const referendum = process.env.GONKA_REFERENDUM;
if (!rpc || referendum === undefined) {
  console.error('set GONKA_RPC (node URL) and GONKA_REFERENDUM (an ongoing referendum index)');
  process.exit(2);
}
const shots = resolve(process.env.GONKA_SCREENSHOTS ?? join(root, 'screenshots'));
mkdirSync(shots, { recursive: true });
const TIMEOUT = 120_000;
const result = {};

const server = await preview({ root, logLevel: 'warn', preview: { port: 0, strictPort: false, host: '127.0.0.1' } });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Text of `testid` inside `scope`, waiting for it. */
async function text(scope, testid, inner = '') {
  const el = scope.locator(`[data-testid="${testid}"] ${inner}`.trim()).first();
  await el.waitFor({ timeout: TIMEOUT });
  return (await el.innerText()).trim();
}

/** Waits until `f()` returns a truthy value (polling), or fails naming `what`. */
async function until(what, f, timeout = TIMEOUT) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    try {
      last = await f();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

const digits = (s) => BigInt(s.replace(/[^0-9]/g, '') || '0');
const errors = [];

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const url = (hash) => `${base}?rpc=${encodeURIComponent(rpc)}#/${hash}`;

  // Network: the current epoch and a non-zero total compute.
  await page.goto(url(''));
  await until('a non-zero total compute', async () => digits(await text(page, 'total-compute', '.value')) > 0n);
  const readNetwork = async () => ({
    epoch: Number(digits(await text(page, 'epoch', '.value'))),
    block: Number(digits(/#([\d,]+)/.exec(await text(page, 'epoch', '.sub'))[1])),
    totalCompute: String(digits(await text(page, 'total-compute', '.value'))),
    activeEpoch: Number(digits(/epoch ([\d,]+)/.exec(await text(page, 'total-compute', '.sub'))[1])),
  });
  result.network = await until('a consistent read of the network page', async () => {
    const [a, b] = [await readNetwork(), await readNetwork()];
    return JSON.stringify(a) === JSON.stringify(b) && a;
  });
  await page.locator('[data-testid="emission-chart"] canvas').waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(shots, 'network.png'), fullPage: true });

  // Hosts: Alice and Bob with their weights in the active epoch the page names.
  await page.goto(url('hosts'));
  const rows = page.locator('[data-testid="hosts-table"] tbody tr');
  await until('two hosts with weight', async () => {
    const weights = await rows.locator('td[data-col="weight"]').allInnerTexts();
    return weights.length >= 2 && weights.filter((w) => digits(w) > 0n).length >= 2;
  });
  // The table and its epoch are read until a new block did not re-render them in between.
  result.hosts = await until('a consistent read of the hosts table', async () => {
    const epoch = Number(digits(await text(page, 'hosts-epoch')));
    const weights = {};
    for (const row of await rows.all()) {
      const account = await row.getAttribute('data-row');
      weights[account] = String(digits(await row.locator('td[data-col="weight"]').innerText()));
    }
    const again = Number(digits(await text(page, 'hosts-epoch')));
    return epoch === again && { epoch, weights };
  });
  await page.screenshot({ path: join(shots, 'hosts.png'), fullPage: true });

  // One host's page, with its history chart.
  const first = Object.keys(result.hosts.weights)[0];
  await page.goto(url(`hosts/${first}`));
  await until('the host page', async () => (await text(page, 'host-account')) === first);
  await page.locator('[data-testid="host-chart"] canvas').waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(shots, 'host.png'), fullPage: true });

  // Governance: the CLI's referendum with its tally; Alice votes Nay from the page.
  await page.goto(url('governance'));
  const ref = page.locator(`[data-testid="referendum-${referendum}"]`);
  await ref.waitFor({ timeout: TIMEOUT });
  result.before = { nays: String(digits(await text(ref, 'nays'))) };
  await page.selectOption('[data-testid="account"]', { label: 'Alice (dev)' });
  await until('the vote buttons', async () => ref.locator('[data-testid="vote-nay"]').isEnabled());
  await ref.locator('[data-testid="vote-nay"]').click();
  await until('the vote to show on the page', async () => /voted Nay/.test(await text(ref, 'my-vote')));
  await until('the tally to count the vote', async () => digits(await text(ref, 'nays')) > BigInt(result.before.nays));
  result.after = { nays: String(digits(await text(ref, 'nays'))), track: await text(ref, 'track'), proposal: await text(ref, 'proposal') };
  await page.screenshot({ path: join(shots, 'governance.png'), fullPage: true });

  // Propose from the page (Bob, a genesis host): a root referendum appears with the next index.
  if (process.env.GONKA_PROPOSE_CALL) {
    await page.selectOption('[data-testid="account"]', { label: 'Bob (dev)' });
    await page.selectOption('[data-testid="propose-track"]', { index: 0 });
    await page.fill('[data-testid="propose-call"]', process.env.GONKA_PROPOSE_CALL);
    await page.click('[data-testid="propose-submit"]');
    const done = await until('the proposal', async () => {
      const m = await text(page, 'message');
      if (/failed/.test(m)) throw new Error(m);
      return /referendum #(\d+) submitted/.exec(m);
    });
    result.proposed = Number(done[1]);
    await page.locator(`[data-testid="referendum-${result.proposed}"]`).waitFor({ timeout: TIMEOUT });
  }

  // Market: the gateway's session.
  await page.goto(url('market'));
  await text(page, 'open-sessions', '.value');
  result.market = { open: Number(digits(await text(page, 'open-sessions', '.value'))) };
  result.market.precisions = await page.locator('[data-testid="prices"] td[data-col="precision"]').allInnerTexts();
  if (process.env.GONKA_SESSION) {
    // The session's row, once its executor claimed the request paid through the gateway.
    const row = page.locator(`[data-testid="sessions-table"] tr[data-row="${process.env.GONKA_SESSION}"]`);
    result.market.requests = await until('a claimed request in the session row', async () =>
      Number(digits(await row.locator('td[data-col="requests"]').innerText())),
    );
  }
  await page.screenshot({ path: join(shots, 'market.png'), fullPage: true });

  // Phone width: the network page still fits.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const small = await phone.newPage();
  await small.goto(url(''));
  await until('the phone-width page', async () => digits(await text(small, 'total-compute', '.value')) > 0n);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) throw new Error(`the network page is ${overflow}px wider than a phone screen`);
  await small.screenshot({ path: join(shots, 'phone.png'), fullPage: true });

  // A node that does not answer: an error in the page, not the console.
  await page.goto(`${base}?rpc=${encodeURIComponent('ws://127.0.0.1:9')}#/`);
  result.unreachable = await text(page, 'error');
  if (!/unreachable/i.test(result.unreachable)) throw new Error(`unexpected error banner: ${result.unreachable}`);
  await page.screenshot({ path: join(shots, 'unreachable.png') });

  if (errors.length) throw new Error(`uncaught errors in the page: ${errors.join(' | ')}`);
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (e) {
  console.error(`dashboard e2e failed: ${e.stack ?? e}`);
  console.error(`seen so far: ${JSON.stringify(result)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
