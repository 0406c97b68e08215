// The bench's browser figures (scripts/bench.sh runs this; it is not a test): transfer size,
// cold start and a mock switch, each beside its reference measured in the same run.
//
// - size: every file a first visit downloads (wasm, JS, CSS, HTML, config), gzip -9 and
//   brotli (quality 11): for the floor app (bench/floor) all of its files; for the console, per
//   page, the files the page fetched before it was ready (its heading shown), read from the
//   page's resource timing, so the areas' chunks count only where a page needs them and the
//   fetches ahead after the first render do not; the mock's worker, started after the first
//   render and only for the mock, apart;
// - cold start: navigation → the Identity menu button is in the page and enabled, read in the
//   page (performance.now() since navigation start), for `runs` fresh browser contexts of each,
//   interleaved console/floor so that the machine's noise hits both alike;
// - cold start of a predefined link, signed in: navigation → its Switch Role button usable,
//   against the floor's cold start, interleaved the same way;
// - navigation to an area (the Role catalog): click → its heading, read in the page, with its
//   code fetched ahead (signed in) and with it not (signed out, when nothing is fetched ahead),
//   against one frame and 100 ms;
// - mock switch: click "Switch Role" → the banner shows the role, read in the page, `runs`
//   times, against one animation frame (16.7 ms).
//
// Prints one JSON object on stdout. Usage: node bench/browser.mjs <dist> <floor-dist> [runs]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { PREDEFINED_LINK, signInDavid, start } from '../tests/e2e/harness.mjs';

const [dist, floorDist, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 20);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The in-browser mock's engine runs in a Web Worker the console starts after its first render,
// and only when config.json chooses the mock (src/bin/mock_worker.rs): it is the backend, not
// the console, and is counted apart.
const isMockWorker = (name) => /^mock[-_]worker/.test(name);

/** Raw, gzip -9 and brotli sizes of the files in `dir` that `wanted(name)` picks. */
async function transferSize(dir, wanted) {
  const names = (await readdir(dir)).filter((n) => /\.(wasm|js|css|html|json)$/.test(n) && wanted(n));
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const name of names) {
    const bytes = await readFile(join(dir, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { files: names.sort(), raw, gzip, brotli };
}

/** What a first visit downloads: everything but the mock's worker. */
const firstVisit = (dir) => transferSize(dir, (n) => !isMockWorker(n));

// The console's pages a first visit may open, and whether it is signed in (David's session,
// restored into the tab) or not.
const PAGES = [
  { path: '/signin', signedIn: false },
  { path: PREDEFINED_LINK, signedIn: true, label: 'a predefined switch link (/switchrole?…)' },
  { path: '/', signedIn: true },
  { path: '/iam', signedIn: true },
  { path: '/iam/create', signedIn: true },
  { path: '/catalog', signedIn: true },
  { path: '/dynamodb', signedIn: true },
];
const AREA_CHUNK = /^(split|chunk)_/;

/** The page is ready: its heading is shown, and no status says its code is still loading. */
const PAGE_READY = () => {
  const main = document.querySelector('main');
  return main?.querySelector('h1') && !main.querySelector('.loading') ? performance.now() : null;
};

/**
 * David's tab storage after signing in (sessionStorage: his session and the mock's; and
 * localStorage), to put into fresh contexts so that each opens a page signed in, cold.
 */
async function davidsStorage(env) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signInDavid(page, env.url);
  // Past the first-run page, as someone who has switched before.
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) {
    await go.click();
    await page.getByRole('textbox', { name: 'Account' }).waitFor();
  }
  const storage = await page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)),
    local: Object.fromEntries(Object.entries(localStorage)),
  }));
  await context.close();
  return storage;
}

/** A fresh context (nothing cached), signed in as David when `storage` is given. */
async function freshContext(env, storage) {
  const context = await env.browser.newContext();
  if (storage) {
    await context.addInitScript((s) => {
      if (sessionStorage.length === 0) {
        for (const [k, v] of Object.entries(s.session)) sessionStorage.setItem(k, v);
        for (const [k, v] of Object.entries(s.local)) localStorage.setItem(k, v);
      }
    }, storage);
  }
  return context;
}

/** Sizes of the files in `dir` named in `names`. */
async function sizeOf(dir, names) {
  return transferSize(dir, (n) => names.includes(n));
}

/** The files a first visit of `path` fetched before the page was ready, sized. */
async function pageVisit(env, dir, { path, signedIn }, storage) {
  const context = await freshContext(env, signedIn ? storage : null);
  const page = await context.newPage();
  await page.goto(`${env.url}${path}`);
  const ready = await (await page.waitForFunction(PAGE_READY, null, { timeout: 30_000 })).jsonValue();
  const fetched = await page.evaluate((ready) => performance.getEntriesByType('resource')
    .filter((e) => e.startTime <= ready)
    .map((e) => new URL(e.name).pathname.slice(1)), ready);
  const heading = await page.locator('main h1').first().textContent();
  await context.close();
  const names = ['index.html', ...fetched.filter((n) => !isMockWorker(n))];
  const size = await sizeOf(dir, names);
  const area = await sizeOf(dir, names.filter((n) => AREA_CHUNK.test(n)));
  return { heading, ...size, area: { files: area.files.length, gzip: area.gzip, brotli: area.brotli } };
}

/** In the page: the time from `armed` to the Switch Role button usable. */
const SWITCH_READY_SCRIPT = `
  (() => {
    const check = () => {
      const b = [...document.querySelectorAll('main form button[type=submit]')]
        .find((b) => b.textContent.trim() === 'Switch Role');
      if (b && !b.disabled && !window.__ready) {
        window.__ready = performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  })();
`;

/** Navigation → a predefined link's Switch Role button usable, signed in, cold. */
async function predefinedLinkStart(env, storage) {
  const context = await freshContext(env, storage);
  await context.addInitScript(SWITCH_READY_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  await page.waitForFunction(() => window.__ready, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

/** In the page: click the link `link` (among `selector`) → a heading `heading`, in ms. */
function timedNavigation(page, link, heading, selector = 'nav a') {
  return page.evaluate(([link, heading, selector]) => new Promise((done) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('main h1')?.textContent === heading) {
        observer.disconnect();
        done(performance.now() - t0);
      }
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
    const a = [...document.querySelectorAll(selector)].find((a) => a.textContent === link);
    const t0 = performance.now();
    // A click without a pointer: no hover, so nothing is fetched ahead by it.
    a.click();
  }), [link, heading, selector]);
}

/** Back to Console Home through the brand link, untimed. */
async function home(page) {
  await page.getByRole('banner').getByRole('link', { name: 'crossrole' }).click();
  await page.getByRole('heading', { level: 1, name: 'Console Home' }).waitFor();
}

/** Click → the Role catalog's heading, its code fetched ahead (idle) and loaded. */
async function prefetchedNavigation(env, storage) {
  const context = await freshContext(env, storage);
  const page = await context.newPage();
  await page.goto(`${env.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Console Home' }).waitFor();
  // One untimed visit first: after it the code is certainly here, as after the fetch ahead.
  await timedNavigation(page, 'Catalog', 'Role catalog');
  const times = [];
  for (let i = 0; i < runs; i++) {
    await home(page);
    times.push(await timedNavigation(page, 'Catalog', 'Role catalog'));
  }
  await context.close();
  return times;
}

/**
 * Click → the Role catalog's heading with none of its code here yet: a fresh context each run,
 * signed out (the catalog works signed out, and nothing is fetched ahead before sign-in), from
 * a link to it put into the sign-in page.
 */
async function coldNavigation(env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await freshContext(env, null);
    const page = await context.newPage();
    await page.goto(`${env.url}/signin`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/catalog';
      a.textContent = 'Catalog';
      document.querySelector('main').append(a);
    });
    times.push(await timedNavigation(page, 'Catalog', 'Role catalog', 'main a'));
    await context.close();
  }
  return times;
}

/** Records, in the page, when the Identity menu button (or the floor's) is usable. */
const READY_SCRIPT = `
  (() => {
    const check = () => {
      const b = document.querySelector('header button[aria-haspopup="menu"]');
      if (b && !b.disabled && b.isConnected && !window.__ready) {
        window.__ready = performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  })();
`;

async function coldStart(env) {
  const context = await env.browser.newContext();
  await context.addInitScript(READY_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${env.url}/`);
  await page.waitForFunction(() => window.__ready, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

/** click "Switch Role" → banner shows the role, in the page, `runs` times. */
async function mockSwitch(env) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signInDavid(page, env.url);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const name = `BENCH${i}`;
    await page.goto(`${env.url}/switchrole?account=222222222222&roleName=AccessToProdDynamoDB&displayName=${name}`);
    const go = page.getByRole('button', { name: 'Switch Role' });
    await go.waitFor();
    if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) {
      await go.click();
      await page.getByRole('textbox', { name: 'Account' }).waitFor();
    }
    // Armed in the page: the click's time, and the first moment the banner names the role.
    await page.evaluate((name) => {
      window.__clicked = null;
      window.__shown = null;
      const button = [...document.querySelectorAll('form button[type=submit]')][0];
      button.addEventListener('click', () => { window.__clicked = performance.now(); }, { capture: true, once: true });
      const observer = new MutationObserver(() => {
        const banner = document.querySelector('header button[aria-haspopup="menu"]');
        if (window.__clicked !== null && banner?.textContent.startsWith(name)) {
          window.__shown = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true, characterData: true });
    }, name);
    await page.getByRole('button', { name: 'Switch Role' }).click();
    await page.waitForFunction(() => window.__shown !== null, null, { timeout: 10_000 });
    times.push(await page.evaluate(() => window.__shown - window.__clicked));
    await page.getByRole('banner').getByRole('button', { name: new RegExp(`^${name}`) }).click();
    await page.getByRole('menuitem', { name: 'Back to David' }).click();
  }
  await context.close();
  return times;
}

/**
 * The command palette over 10,000 catalog roles: each keystroke (an input event on the
 * combobox) → the list updated (its match count rewritten), read in the page, `runs` times.
 */
async function paletteFilter(env) {
  const context = await env.browser.newContext();
  const entries = Array.from({ length: 10_000 }, (_, i) => ({
    profile: `role-${i}`,
    account: '222222222222',
    role: { path: '/', name: `Role${i}` },
    displayName: `role-${i}`,
  }));
  await context.addInitScript((catalog) => {
    if (!localStorage.getItem('crossrole.catalog.v1')) localStorage.setItem('crossrole.catalog.v1', catalog);
  }, JSON.stringify({ version: 1, entries }));
  const page = await context.newPage();
  await signInDavid(page, env.url);
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Switch role' }).waitFor();
  await page.getByRole('dialog').getByRole('status').filter({ hasText: '10000 matches' }).waitFor();
  const times = [];
  // Each query's match count differs from the one before it, so each keystroke rewrites it.
  const queries = ['role-1', 'role-12', 'role-123', 'role-1234', 'zz', '', 'role-9', 'role-99'];
  for (let i = 0; i < runs; i++) {
    const query = queries[i % queries.length];
    times.push(await page.evaluate((query) => new Promise((done) => {
      const input = document.querySelector('[role=dialog] [role=combobox]');
      const status = document.querySelector('[role=dialog] [role=status]');
      const before = status.textContent;
      const observer = new MutationObserver(() => {
        if (status.textContent !== before) {
          observer.disconnect();
          done(performance.now() - t0);
        }
      });
      setTimeout(() => { observer.disconnect(); done(Number.NaN); }, 5000);
      observer.observe(status, { childList: true, subtree: true, characterData: true });
      const t0 = performance.now();
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }), query));
  }
  await context.close();
  return times;
}

const console_ = await start(dist);
const floor = await start(floorDist);
try {
  const storage = await davidsStorage(console_);
  const pages = {};
  for (const visit of PAGES) pages[visit.label ?? visit.path] = await pageVisit(console_, dist, visit, storage);
  const size = {
    pages,
    floor: await firstVisit(floorDist),
    mockWorker: await transferSize(dist, isMockWorker),
  };
  const cold = { console: [], floor: [], link: [], linkFloor: [] };
  // One warm-up each (the server's and the browser's first time), not counted.
  await coldStart(console_);
  await coldStart(floor);
  await predefinedLinkStart(console_, storage);
  for (let i = 0; i < runs; i++) {
    cold.console.push(await coldStart(console_));
    cold.floor.push(await coldStart(floor));
    cold.link.push(await predefinedLinkStart(console_, storage));
    cold.linkFloor.push(await coldStart(floor));
  }
  const prefetched = await prefetchedNavigation(console_, storage);
  const notPrefetched = await coldNavigation(console_);
  const switches = await mockSwitch(console_);
  const filters = await paletteFilter(console_);
  const summary = (xs) => ({ medianMs: median(xs), maxMs: Math.max(...xs), all: xs });
  console.log(JSON.stringify({
    runs,
    size,
    coldStart: { consoleMs: median(cold.console), floorMs: median(cold.floor), console: cold.console, floor: cold.floor },
    predefinedLinkStart: { consoleMs: median(cold.link), floorMs: median(cold.linkFloor), console: cold.link, floor: cold.linkFloor },
    navigation: { area: 'Role catalog', frameMs: 1000 / 60, prefetched: summary(prefetched), cold: summary(notPrefetched) },
    mockSwitch: { medianMs: median(switches), maxMs: Math.max(...switches), frameMs: 1000 / 60, all: switches },
    paletteFilter: { medianMs: median(filters), maxMs: Math.max(...filters), frameMs: 1000 / 60, all: filters },
  }));
} finally {
  await console_.stop();
  await floor.stop();
}
