// The console shell on the release build, in real headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, DIST, focusedText, loaded, openPage, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('the built index.html has a strict CSP and no inline script', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
    ([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim() !== '',
  );
  assert.deepEqual(inline.map(([tag]) => tag), [], 'every script is an external file');
});

test('home loads with the banner and the Identity menu', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/`);
  await loaded(page);
  assert.equal(await page.title(), 'Console Home · crossrole');
  await page.getByRole('heading', { name: 'Console Home' }).waitFor();
  const button = page.getByRole('banner').getByRole('button', { name: /^Not signed in/ });
  assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await page.screenshot({ path: join(ARTIFACTS, 'home.png') });
  await finish();
});

test('a predefined switch link is served as a deep link and survives the sign-in page', async () => {
  const { page, finish } = await openPage(env);
  const link = '/switchrole?account=222222222222&roleName=AccessToProdDynamoDB';
  const response = await page.goto(`${env.url}${link}`);
  assert.equal(response.status(), 200);
  await loaded(page);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const url = new URL(page.url());
  assert.equal(url.pathname, '/signin');
  assert.equal(url.searchParams.get('next'), link);
  await finish();
});

test('the Identity menu works from the keyboard', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/`);
  await loaded(page);
  const button = page.getByRole('button', { name: /^Not signed in/ });

  // Reach the button by tabbing, as a keyboard user would.
  for (let i = 0; i < 10 && (await focusedText(page)) !== (await button.textContent()).trim(); i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'Tab reaches the menu button');

  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await menu.waitFor();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const items = await menu.getByRole('menuitem').allTextContents();
  assert.deepEqual(items.map((t) => t.trim()), ['Sign in']);
  await page.waitForFunction(() => document.activeElement?.textContent.trim() === 'Sign in');
  await page.screenshot({ path: join(ARTIFACTS, 'identity-menu.png') });

  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedText(page), 'Sign in', 'one item: ArrowDown wraps to it');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'Escape returns focus');

  // Open again and follow the entry: client-side navigation to the sign-in page.
  await page.keyboard.press('ArrowDown');
  await menu.waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent.trim() === 'Sign in');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/signin');
  await menu.waitFor({ state: 'detached' });
  await finish();
});

test('an unknown path shows the not-found page', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/no/such/page`);
  await loaded(page);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.getByRole('link', { name: 'Go to Console Home' }).click();
  await page.getByRole('heading', { name: 'Console Home' }).waitFor();
  await finish();
});
