// The split release build (scripts/build-release.sh): a first visit fetches only the shell;
// each area's code (IAM's pages, the Role catalog, DynamoDB) arrives when it is first needed or
// fetched ahead, and a chunk that cannot be fetched is said, with Reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, PREDEFINED_LINK, identityButton, openPage, signInDavid, siteWith, start } from './harness.mjs';

// wasm-split's files: the areas (split_<area>-<hash>.wasm) and the code some of them share
// (chunk_<n>-<hash>.wasm).
const CHUNK = /\/(split|chunk)_[a-z0-9_]+-[0-9a-f]{16}\.wasm$/;
const CATALOG_CHUNK = /\/split_catalog-[0-9a-f]{16}\.wasm$/;
const PALETTE_CHUNK = /\/split_palette-[0-9a-f]{16}\.wasm$/;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Every request `page` sends from now on, by path. */
function recordRequests(page) {
  const paths = [];
  page.on('request', (req) => paths.push(new URL(req.url()).pathname));
  return paths;
}

/** Records, in the page, whether the status shown while an area's code loads ever appears. */
async function watchForLoadingStatus(page) {
  await page.evaluate(() => {
    window.__loadingShown = false;
    // The records, not the page as it is when the observer runs: a status added and removed
    // again within one task is gone by then, yet it was drawn if a frame fell in between.
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.textContent?.includes('Loading the page')) window.__loadingShown = true;
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

test('the build has a chunk for every area, and index.html preloads none of them', async () => {
  const names = await readdir(DIST);
  for (const area of ['iam', 'catalog', 'dynamodb', 'palette']) {
    assert.ok(names.some((n) => new RegExp(`^split_${area}-[0-9a-f]{16}\\.wasm$`).test(n)), `no chunk for ${area}`);
  }
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /(split|chunk)_/, 'index.html names no chunk');
});

test('a predefined link and the sign-in page fetch no area code; signed in, the areas are fetched ahead', async () => {
  const { page, finish } = await openPage(env);
  const paths = recordRequests(page);
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual(paths.filter((p) => CHUNK.test(p)), [], 'signed out, no area code is fetched');
  // Idle after the first signed-in render: every area, one after another (IAM last).
  const lastFetched = page.waitForResponse((res) => /\/split_iam-/.test(res.url()));
  await signInDavid(page, env.url);
  await lastFetched;
  for (const area of ['palette', 'dynamodb', 'catalog', 'iam']) {
    assert.ok(paths.some((p) => new RegExp(`/split_${area}-`).test(p)), `${area} fetched ahead`);
  }
  // Its code is here: the page shows at once, never the status shown while code loads.
  await watchForLoadingStatus(page);
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Catalog' }).click();
  await page.getByRole('heading', { level: 1, name: 'Role catalog' }).waitFor();
  assert.equal(await page.evaluate(() => window.__loadingShown), false, 'no loading status for fetched code');
  await finish();
});

test('pointing at a link fetches its area ahead', async () => {
  const { page, finish } = await openPage(env);
  // The idle fetch starts with the palette: held, it holds the whole idle queue, so only the
  // pointer can fetch the catalog.
  let release;
  let holding;
  const held = new Promise((ok) => { release = ok; });
  const paletteAsked = new Promise((ok) => { holding = ok; });
  await page.route(PALETTE_CHUNK, async (route) => {
    holding();
    await held;
    await route.continue();
  });
  const paths = recordRequests(page);
  await signInDavid(page, env.url);
  await paletteAsked;
  assert.equal(paths.filter((p) => CATALOG_CHUNK.test(p)).length, 0, 'the catalog is not fetched yet');
  const fetched = page.waitForRequest(CATALOG_CHUNK);
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Catalog' }).hover();
  await fetched;
  const answered = page.waitForResponse(PALETTE_CHUNK);
  release();
  await answered;
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Catalog' }).click();
  await page.getByRole('heading', { level: 1, name: 'Role catalog' }).waitFor();
  await finish();
});

/** Runs `check(env, problems)` on a copy of the build without the chunk `pattern` names. */
async function withoutChunk(pattern, check) {
  const config = await readFile(join(DIST, 'config.json'), 'utf8');
  const site = await siteWith(config);
  const chunk = (await readdir(site.dir)).find((n) => pattern.test(`/${n}`));
  const bytes = await readFile(join(site.dir, chunk));
  await rm(join(site.dir, chunk));
  const siteEnv = await start(site.dir);
  try {
    const { page, problems, finish } = await openPage(siteEnv, { expectedRefusals: (url) => pattern.test(url) });
    await signInDavid(page, siteEnv.url);
    await check(page, problems, () => writeFile(join(site.dir, chunk), bytes));
    await finish();
  } finally {
    await siteEnv.stop();
    await site.remove();
  }
}

/** Only the loader's own report of the failed fetch went to the console; then forgets it. */
function onlyTheChunkFailed(problems, name) {
  const unexpected = problems.filter((p) => !/WebAssembly|Failed to fetch/.test(p) && !p.includes(name));
  assert.deepEqual(unexpected, [], 'only the chunk failure was reported');
  problems.length = 0;
}

test('pointing at the Identity menu fetches the command palette ahead', async () => {
  const { page, problems, finish } = await openPage(env, { expectedRefusals: (url) => PALETTE_CHUNK.test(url) });
  // The idle fetch starts with the palette: refused once, the idle fetch stops there (it
  // fetches nothing more after a failure), so only the pointer can fetch it again.
  await page.route(PALETTE_CHUNK, (route) => route.abort(), { times: 1 });
  const refused = page.waitForEvent('requestfailed', (req) => PALETTE_CHUNK.test(req.url()));
  await signInDavid(page, env.url);
  await refused;
  const fetched = page.waitForResponse(PALETTE_CHUNK);
  await identityButton(page).hover();
  assert.equal((await fetched).status(), 200);
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Switch role' }).waitFor();
  await page.keyboard.press('Escape');
  onlyTheChunkFailed(problems, 'split_palette');
  await finish();
});

test('an area whose code is gone (a new deploy) shows an alert with Reload, and Reload recovers', async () => {
  await withoutChunk(CATALOG_CHUNK, async (page, problems, restore) => {
    await watchForLoadingStatus(page);
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { level: 1, name: 'This page could not be loaded' }).waitFor();
    // While the fetch was tried, a status said so (and the watch used above can see it).
    assert.equal(await page.evaluate(() => window.__loadingShown), true, 'a loading status while fetching');
    const alert = page.getByRole('main').getByRole('alert');
    assert.match(await alert.textContent(), /Reload to fetch the current console/);
    // The shell is still there and still works: the banner names David.
    assert.match(await page.getByRole('banner').textContent(), /David/);
    onlyTheChunkFailed(problems, 'split_catalog');

    await restore();
    await alert.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { level: 1, name: 'Role catalog' }).waitFor();
  });
});

test('a command palette whose code is gone says so in its place, and closes', async () => {
  await withoutChunk(PALETTE_CHUNK, async (page, problems) => {
    await page.keyboard.press('Control+k');
    const failed = page.getByRole('alertdialog', { name: 'The command palette could not be loaded' });
    await failed.waitFor();
    assert.match(await failed.textContent(), /Reload to fetch the current console/);
    assert.equal(await failed.getByRole('button', { name: 'Reload' }).count(), 1);
    await failed.getByRole('button', { name: 'Close' }).click();
    await failed.waitFor({ state: 'detached' });
    assert.match(await page.getByRole('banner').textContent(), /David/);
    onlyTheChunkFailed(problems, 'split_palette');
  });
});
