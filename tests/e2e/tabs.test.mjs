// Two real tabs of one browser (one context: shared localStorage) on the in-browser mock: the
// role history and the first-run flag follow from one tab to the other, two tabs switching at
// once both keep their entry (a switch merges onto the stored history), and clearing the store
// in one tab empties the other's history. Replaces the fake StorageEvent of tests/web.rs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { identityButton, openMenu, openTabs, signInDavid, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});


/** Fills Switch Role (past the first-run page) and clicks, without waiting for the result. */
async function startSwitch(page, { account, role, displayName }) {
  await page.goto(`${env.url}/switchrole`);
  const button = page.getByRole('button', { name: 'Switch Role' });
  await button.waitFor();
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await button.click();
  await page.getByRole('textbox', { name: 'Account' }).fill(account);
  await page.getByRole('textbox', { name: 'Role' }).fill(role);
  await page.getByRole('textbox', { name: 'Display Name' }).fill(displayName);
  return page.getByRole('button', { name: 'Switch Role' });
}

/** The display names in the Identity menu's history, in order. */
async function historyOf(page) {
  const menu = await openMenu(page);
  const names = await menu.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape');
  return names;
}

test('two tabs share the history and the first-run flag, and switching at once loses nothing', async () => {
  const { pages: [a, b], finish } = await openTabs(env, 2);
  await signInDavid(a, env.url);
  await signInDavid(b, env.url);

  // Tab B sits on the first-run page; tab A goes past it: B follows without a reload.
  await b.goto(`${env.url}/switchrole`);
  await b.getByRole('heading', { name: 'Switch Role' }).waitFor();
  assert.equal(await b.getByRole('textbox', { name: 'Account' }).count(), 0, 'B shows the first-run page');
  await a.goto(`${env.url}/switchrole`);
  await a.getByRole('button', { name: 'Switch Role' }).click();
  await a.getByRole('textbox', { name: 'Account' }).waitFor();
  await b.getByRole('textbox', { name: 'Account' }).waitFor();

  // Both tabs switch at once, to different roles: both entries end up in both histories.
  const goA = await startSwitch(a, { account: '222222222222', role: 'AccessToProdDynamoDB', displayName: 'PROD-A' });
  const goB = await startSwitch(b, { account: '111111111111', role: 'SensitiveDataAccess', displayName: 'SENSITIVE-B' });
  await Promise.all([goA.click(), goB.click()]);
  await a.getByRole('banner').getByRole('button', { name: /^PROD-A/ }).waitFor();
  await b.getByRole('banner').getByRole('button', { name: /^SENSITIVE-B/ }).waitFor();
  for (const tab of [a, b]) {
    const names = (await historyOf(tab)).join(' | ');
    assert.match(names, /PROD-A/, `${names}`);
    assert.match(names, /SENSITIVE-B/, `${names}`);
  }
  const stored = await a.evaluate(() => localStorage.getItem('crossrole.history.v1'));
  assert.match(stored, /PROD-A/);
  assert.match(stored, /SENSITIVE-B/);

  // Clearing the store in one tab empties the other's history and brings back the first run.
  await a.evaluate(() => localStorage.clear());
  const menu = await openMenu(b);
  // (The other tab's session stays named under "Other sessions": only the history empties.)
  await menu.locator('button.history-entry').first().waitFor({ state: 'detached' });
  await b.keyboard.press('Escape');
  await b.goto(`${env.url}/switchrole`);
  await b.getByRole('heading', { name: 'Switch Role' }).waitFor();
  assert.equal(await b.getByRole('textbox', { name: 'Account' }).count(), 0, 'first run again after a cleared store');
  await finish();
});
