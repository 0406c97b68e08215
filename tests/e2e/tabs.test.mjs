// Two real tabs of one browser (one context: shared localStorage) on the in-browser mock: the
// role history and the first-run flag follow from one tab to the other, two tabs switching at
// once both keep their entry (a switch merges onto the stored history), and clearing the store
// in one tab empties the other's history; an administrator's change in one tab is not lost to
// another tab's later change. Replaces the fake StorageEvent of the browser tests (tests/web/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, identityButton, openMenu, openTabs, signInDavid, signInWithPassword, start } from './harness.mjs';

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

/** Grants group Developers the switch to `roleArn` on the Grant page of `page`. */
async function grant(page, roleArn, policy) {
  await page.getByRole('combobox', { name: 'Group' }).selectOption('Developers');
  await page.getByRole('textbox', { name: 'Role ARN' }).fill(roleArn);
  await page.getByRole('button', { name: 'Grant' }).click();
  await expectText(page.getByRole('list', { name: 'Policies of Developers' }), new RegExp(policy));
}

test("one tab's administrator's change is not lost to another tab's later change", async () => {
  const { pages: [a, b], finish } = await openTabs(env, 2);
  for (const tab of [a, b]) {
    await signInWithPassword(tab, env.url, { user: 'CorpAdmin', password: 'corpadmin-Pa55word!' });
    await tab.goto(`${env.url}/iam/grant`);
    await tab.getByRole('heading', { name: 'Grant switch access' }).waitFor();
  }
  // Both tabs' engines started from the same kept state; A changes it, then B does.
  await grant(a, 'arn:aws:iam::222222222222:role/AccessToProdDynamoDB', 'SwitchToAccessToProdDynamoDBIn222222222222');
  await grant(b, 'arn:aws:iam::222222222222:role/ops/ProdOperator', 'SwitchToProdOperatorIn222222222222');
  // B's engine had taken A's change first, so B's list and the kept state hold both.
  await expectText(b.getByRole('list', { name: 'Policies of Developers' }), /SwitchToAccessToProdDynamoDBIn222222222222/);
  const kept = await a.evaluate(() => localStorage.getItem('crossrole.mock.iam.v1'));
  assert.match(kept, /SwitchToAccessToProdDynamoDBIn222222222222/);
  assert.match(kept, /SwitchToProdOperatorIn222222222222/);
  // And a reload of A (a new engine, from the kept state) has both.
  await a.reload();
  await a.getByRole('combobox', { name: 'Group' }).selectOption('Developers');
  const listed = a.getByRole('list', { name: 'Policies of Developers' });
  await expectText(listed, /SwitchToProdOperatorIn222222222222/);
  await expectText(listed, /SwitchToAccessToProdDynamoDBIn222222222222/);
  await finish();
});
