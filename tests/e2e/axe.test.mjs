// axe-core (the engine behind most accessibility checkers) on the console's page states, in
// the release build: WCAG 2.1 A and AA rules, no violation of any impact. A start: the states
// a person switching roles passes through.
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

test('axe finds no WCAG 2.1 AA violation on the states of a switch', async () => {
  const { page, finish } = await openPage(env);
  const states = {};
  await page.goto(`${env.url}/signin`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
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
