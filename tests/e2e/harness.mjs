// Shared set-up for the end-to-end tests: the built dist/ on a local static host, Debian's
// Chromium driven by playwright-core, and a page that records every console error, uncaught
// exception and failed request so each test can insist there were none.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { serveStatic } from './static-server.mjs';
import { DAVID_SEED, totp } from './totp.mjs';
import { createServer } from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(here, '../../dist');
export const ARTIFACTS = join(here, 'artifacts');

/** David's predefined link to PRODUCTION (the seed's role), as an administrator would share it. */
export const PREDEFINED_LINK = '/switchrole?account=222222222222&roleName=AccessToProdDynamoDB&displayName=PRODUCTION';

// Chromium must not reach out to the network: this machine has none but loopback.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts the static host (of `dist`, by default the release build) and the browser. With
 * `aws`, the host hands AWS calls (POSTs) to it: a fake or a proxy on the console's origin.
 */
export async function start(dist = DIST, { aws, port = 0 } = {}) {
  assert.ok(existsSync(join(dist, 'index.html')), `no build at ${dist}: run ./scripts/build-release.sh`);
  await mkdir(ARTIFACTS, { recursive: true });
  const server = await serveStatic(dist, { aws, port });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url: server.url,
    browser,
    async stop() {
      await browser.close();
      await server.close();
    },
  };
}

/** A free TCP port on 127.0.0.1 (for a server whose origin must be known in advance). */
export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * A copy of the release build, as a host would deploy it, with its own `config.json` (text or
 * an object) and extra `files`; `remove()` deletes it.
 */
export async function siteWith(config, files = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'crossrole-site-'));
  await cp(DIST, dir, { recursive: true });
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  await writeFile(join(dir, 'config.json'), text);
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh page whose problems are collected in `problems`. `expectedRefusals(url)` says which
 * URLs may answer with an HTTP error (an AWS endpoint refusing on purpose); Chromium's own
 * "Failed to load resource" line for those is expected too. Nothing else is excused. `viewport`:
 * the window's size (a desktop's by default); `colorScheme`: the system's light or dark.
 */
export async function openPage(env, { expectedRefusals = () => false, viewport, colorScheme } = {}) {
  const { pages, problems, finish } = await openTabs(env, 1, { expectedRefusals, viewport, colorScheme });
  return { page: pages[0], problems, finish };
}

/**
 * `count` tabs of one browser context (they share localStorage, as a person's tabs do), all
 * watched like [`openPage`]'s.
 */
export async function openTabs(env, count, { expectedRefusals = () => false, viewport = { width: 1100, height: 700 }, colorScheme = 'light' } = {}) {
  const context = await env.browser.newContext({ viewport, colorScheme });
  const problems = [];
  const pages = [];
  const seen = { urls: [], console: [], refusals: [], probes: [], provoked: [] };
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    watch(page, problems, expectedRefusals, seen);
    pages.push(page);
  }
  return {
    pages,
    problems,
    /**
     * Asserts that no secret leaked (localStorage, any URL visited, the browser console) and
     * that nothing went wrong, then closes the tabs.
     */
    async finish() {
      const leaks = await secretLeaks(pages, seen);
      await context.close();
      // Chromium's "Failed to load resource" line for each refused IAM probe is expected too.
      for (const refusal of seen.refusals) {
        const probe = seen.probes.indexOf(refusal.url);
        const provoked = seen.provoked.indexOf(refusal.url);
        if (probe >= 0) seen.probes.splice(probe, 1);
        else if (provoked >= 0) seen.provoked.splice(provoked, 1);
        else problems.push(refusal.text);
      }
      assert.deepEqual(leaks, [], 'secrets where they must never be');
      assert.deepEqual(problems, [], 'console errors, exceptions or failed requests');
    },
  };
}

/**
 * The demo world's passwords, secret keys and MFA seed: public made-up values, but the
 * console must treat them as secrets all the same.
 */
export const KNOWN_SECRETS = [
  'david-Pa55word!',
  'maria-Pa55word!',
  'mallory-Pa55word!',
  'corpadmin-Pa55word!',
  'prodadmin-Pa55word!',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'C0rpAdm1nSecretKeyExample/ForDemoOnly000',
  'Pr0dAdm1nSecretKeyExample/ForDemoOnly000',
  'Ma11orySecretKeyExample/ForDemoOnly00000',
  'X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW',
];

/**
 * Where secrets are found that must never hold one: each page's localStorage, every URL the
 * tabs visited and everything the browser console printed. The secrets looked for are the
 * demo world's and every secret key and session token in the tabs' sessionStorage (where the
 * tab's own sessions belong).
 */
async function secretLeaks(pages, seen) {
  const leaks = [];
  const stores = [];
  for (const page of pages) {
    if (page.isClosed()) continue;
    try {
      stores.push(await page.evaluate(() => {
        const dump = (s) => {
          try {
            return JSON.stringify(Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)])));
          } catch {
            return '';
          }
        };
        let local = '';
        let session = '';
        try { local = dump(localStorage); } catch { /* refused on purpose by a test */ }
        try { session = dump(sessionStorage); } catch { /* idem */ }
        return { local, session };
      }));
    } catch {
      // A page that navigated away or crashed has nothing to read.
    }
  }
  const sessionSecrets = stores.flatMap(({ session }) =>
    [...session.matchAll(/\\"(?:secretAccessKey|sessionToken)\\":\\"([^\\"]+)\\"/g)].map((m) => m[1]));
  const secrets = [...KNOWN_SECRETS, ...sessionSecrets].filter((s) => s.length >= 8);
  const places = [
    ...stores.map((s, i) => [`localStorage of tab ${i + 1}`, s.local]),
    ...seen.urls.map((u) => [`URL ${u}`, safeDecode(u)]),
    ...seen.console.map((c) => [`console: ${c.slice(0, 80)}`, c]),
  ];
  for (const [where, text] of places) {
    for (const secret of secrets) {
      if (text.includes(secret)) leaks.push(`${where} holds ${secret.slice(0, 4)}…`);
    }
  }
  return leaks;
}

function safeDecode(u) {
  try {
    return `${u} ${decodeURIComponent(u)}`;
  } catch {
    return u;
  }
}

/** Whether `req` is the navigation bar's LookupEvents probe (it asks for one event). */
function lookupProbe(req) {
  try {
    return JSON.parse(req.postData() ?? '{}').MaxResults === 1;
  } catch {
    return false;
  }
}

function watch(page, problems, expectedRefusals, seen = { urls: [], console: [], refusals: [], probes: [], provoked: [] }) {
  // Requests sent while a refusal was expected: excused whenever their answer or Chromium's
  // console line about it reaches us (Playwright may report a response after the page has
  // already shown its effect, i.e. after the test's `during` window closed).
  const provokedRequests = new WeakSet();
  const excused = (req) => provokedRequests.has(req) || expectedRefusals(req.url());
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.urls.push(frame.url());
  });
  page.on('request', (req) => {
    seen.urls.push(req.url());
    if (expectedRefusals(req.url())) provokedRequests.add(req);
  });
  page.on('console', (msg) => seen.console.push(msg.text()));
  // Fail fast rather than at Playwright's 30 s default: the console answers in milliseconds.
  page.setDefaultTimeout(10_000);
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      const refusal = msg.text().startsWith('Failed to load resource');
      if (refusal && expectedRefusals(msg.location().url)) return;
      if (refusal) {
        // Decided when the tabs close: it may be a refused IAM probe (below).
        seen.refusals.push({ url: msg.location().url, text: `console ${msg.type()}: ${msg.text()}` });
        return;
      }
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A request cut short because the test navigated on is not a failure of the console.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (excused(req)) return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    // Name the AWS operation, so that an unexpected refusal says which call it was.
    const req = res.request();
    const operation = req.headers()['x-amz-target'] ?? new URLSearchParams(req.postData() ?? '').get('Action') ?? '';
    // The navigation bar asks whether the acting identity may use IAM (ListRoles): a refusal
    // is its answer, not a failure (recorded even inside a `during` window, for the console
    // line that may come after it).
    if (res.status() === 403 && operation === 'ListRoles') {
      seen.probes.push(res.url());
      return;
    }
    // Likewise whether it may look the account's events up (LookupEvents for one event).
    if ([400, 403].includes(res.status()) && operation.endsWith('.LookupEvents') && lookupProbe(req)) {
      seen.probes.push(res.url());
      return;
    }
    if (excused(req)) {
      seen.provoked.push(res.url());
      return;
    }
    problems.push(`HTTP ${res.status()}: ${res.url()} ${operation}`.trim());
  });
}

/**
 * Refusals a test provokes on purpose: HTTP errors of `url` are excused only while
 * `during(action)` runs, so an endpoint refusing anywhere else still fails the test.
 */
export function provoked(url) {
  let open = false;
  return {
    excuse: (u) => open && u === url,
    async during(action) {
      open = true;
      try {
        return await action();
      } finally {
        open = false;
      }
    },
  };
}

/** Waits until the console has started (the banner's Identity menu button exists). */
export async function loaded(page) {
  await page.getByRole('banner').getByRole('button', { name: /^Not signed in/ }).waitFor();
}

/** The accessible text of the focused element. */
export function focusedText(page) {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}

/** The banner's Identity menu button. */
export function identityButton(page) {
  return page.getByRole('banner').locator('button[aria-haspopup="menu"]');
}

/** Opens the Identity menu; resolves to it. */
export async function openMenu(page) {
  await identityButton(page).click();
  await page.getByRole('menu').waitFor();
  return page.getByRole('menu');
}

/** Opens Switch Role on `baseUrl` (past the first-run page) and submits `account` and `role`. */
export async function switchTo(page, baseUrl, { account, role }) {
  await page.goto(`${baseUrl}/switchrole`);
  const button = page.getByRole('button', { name: 'Switch Role' });
  await button.waitFor();
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await button.click();
  await page.getByRole('textbox', { name: 'Account' }).fill(account);
  await page.getByRole('textbox', { name: 'Role' }).fill(role);
  await page.getByRole('button', { name: 'Switch Role' }).click();
}

/** Everything in the page's localStorage and sessionStorage. */
export function storageOf(page) {
  return page.evaluate(() => {
    const dump = (s) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
    return { local: dump(localStorage), session: dump(sessionStorage) };
  });
}

/** Fills the STS backend's sign-in form: an access key, and an MFA code when given. */
export async function fillKeySignIn(page, { accessKeyId, secretAccessKey, mfaCode = '' }) {
  await page.getByRole('textbox', { name: 'Access key ID' }).fill(accessKeyId);
  await page.getByLabel('Secret access key').fill(secretAccessKey);
  await page.getByRole('textbox', { name: 'MFA code' }).fill(mfaCode);
}

/**
 * Waits until `locator` (its first match) shows text matching `pattern`, retrying as the page
 * changes; fails with the text it last had. Use it instead of reading textContent once.
 */
export async function expectText(locator, pattern, message = '') {
  const target = locator.first();
  try {
    await target.filter({ hasText: pattern }).waitFor({ timeout: 10_000 });
  } catch (e) {
    const actual = await target.textContent({ timeout: 1_000 }).catch(() => '(not found)');
    throw new Error(`${message ? `${message}: ` : ''}expected text matching ${pattern}, found ${JSON.stringify(actual)}`, { cause: e });
  }
}

/**
 * Signs `user` in on the mock's sign-in page at `baseUrl` (with David's current MFA code when
 * `mfa`) and waits for the banner. (Each page runs its own mock, so each takes a code once.)
 */
export async function signInWithPassword(page, baseUrl, { account = 'example-corp', user, password, mfa = false }) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill(account);
  await page.getByRole('textbox', { name: 'IAM user name' }).fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('textbox', { name: 'MFA code' }).fill(mfa ? totp(DAVID_SEED) : '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: `${user} @ ${account}` }).waitFor();
}

/** Signs David in with MFA on the mock's sign-in page at `baseUrl`. */
export async function signInDavid(page, baseUrl) {
  await signInWithPassword(page, baseUrl, { user: 'David', password: 'david-Pa55word!', mfa: true });
}
