// axe-core (the engine behind most accessibility checkers) on the console's page states, in
// the release build, in the system's light and dark modes: WCAG 2.1 A and AA rules, no
// violation of any impact. A start: the states a person switching roles passes through.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PREDEFINED_LINK, identityButton, openPage, signInDavid, start } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** axe's violations on the page as it is now, one line each (rule, impact, where). */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline
  // script) does not apply to it.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

for (const colorScheme of ['light', 'dark']) test(`axe finds no WCAG 2.1 AA violation on the states of a switch, ${colorScheme}`, async () => {
  const { page, finish } = await openPage(env, { colorScheme });
  const states = {};
  await page.goto(`${env.url}/signin`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  // The page is in the mode asked for (the stylesheet's page background of each).
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, colorScheme === 'dark' ? 'rgb(15, 27, 42)' : 'rgb(242, 243, 243)');
  states['sign-in'] = await violations(page);
  await signInDavid(page, env.url);
  states['home, signed in'] = await violations(page);
  await identityButton(page).click();
  await page.getByRole('menu').waitFor();
  states['the Identity menu, open'] = await violations(page);
  await page.keyboard.press('Escape');
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  states['Switch Role, first run'] = await violations(page);
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await go.click();
  await page.getByRole('textbox', { name: 'Account' }).waitFor();
  states['Switch Role, the form from a predefined link'] = await violations(page);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await identityButton(page).filter({ hasText: 'PRODUCTION' }).waitFor();
  states['home, in a role'] = await violations(page);
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Switch role' }).waitFor();
  states['the command palette, open'] = await violations(page);
  await page.keyboard.press('Escape');
  const failing = Object.entries(states).filter(([, v]) => v.length);
  assert.deepEqual(failing, [], 'no violations');
  await finish();
});

test('the visual mode chosen is shown at once and kept across a reload', async () => {
  const { page, finish } = await openPage(env, { colorScheme: 'light' });
  await page.goto(`${env.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Console Home' }).waitFor();
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await page.getByRole('combobox', { name: 'Visual mode' }).selectOption('Dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = await background();
  assert.notEqual(dark, light, 'the page turned dark');
  // Kept: a reload shows it again (boot.js sets it before the console starts).
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.getByRole('combobox', { name: 'Visual mode' }).inputValue(), 'dark');
  assert.equal(await background(), dark);
  await page.getByRole('combobox', { name: 'Visual mode' }).selectOption('System');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  assert.equal(await background(), light);
  await finish();
});
