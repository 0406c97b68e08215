// Destructive actions are safe: removing an inline policy asks first in a dialog that names
// it (Cloudscape's delete pattern: Cancel and Escape keep it); removing a catalog or history
// entry happens at once with an Undo; and a removal the acting identity may not make (an SCP)
// is shown disabled with the reason, not offered and then refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, fillKeySignIn, focusedText, identityButton, openPage, signInWithPassword, start } from './harness.mjs';
import { startEmulator } from './emulator.mjs';
import { signedHeaders } from './sigv4.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const CORP_ADMIN = { account: 'example-corp', user: 'CorpAdmin', password: 'corpadmin-Pa55word!' };
const PROD_ADMIN = { account: 'example-prod', user: 'ProdAdmin', password: 'prodadmin-Pa55word!' };

test('removing an inline policy asks in a dialog that names it; Cancel and Escape keep it, Remove removes it', async () => {
  const { page, finish } = await openPage(env);
  await signInWithPassword(page, env.url, CORP_ADMIN);
  await page.goto(`${env.url}/iam/grant?group=Developers`);
  const policies = page.getByRole('list', { name: 'Policies of Developers' });
  await expectText(policies, /DayToDay/);
  const removeDayToDay = policies.getByRole('listitem').filter({ hasText: 'DayToDay' }).getByRole('button', { name: 'Remove' });
  await removeDayToDay.waitFor();
  // CorpAdmin may remove it (Allow *, the management account): offered.
  assert.equal(await removeDayToDay.isEnabled(), true);

  await removeDayToDay.click();
  const dialog = page.getByRole('dialog', { name: 'Remove inline policy DayToDay?' });
  await dialog.waitFor();
  await expectText(dialog, /DayToDay is deleted from group Developers at once, and what it allows stops\. This cannot be undone/);
  assert.equal(await focusedText(page), 'Cancel', 'the safe choice has the focus');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await removeDayToDay.evaluate((b) => b === document.activeElement), true, 'the focus goes back to Remove');

  await removeDayToDay.click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await expectText(policies, /DayToDay/);

  await removeDayToDay.click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await page.waitForFunction(() => !document.querySelector('[aria-label="Policies of Developers"]')?.textContent.includes('DayToDay'));
  await expectText(policies, /AllowSwitchToProdDynamoDB/);
  await finish();
});

test('an inline policy an SCP protects is shown with Remove disabled and the reason', async () => {
  const { page, finish } = await openPage(env);
  await signInWithPassword(page, env.url, PROD_ADMIN);
  await page.goto(`${env.url}/iam/role?name=AccessToProdDynamoDB`);
  const policies = page.getByRole('list', { name: 'Permission policies' });
  await policies.getByRole('listitem').first().waitFor();
  const remove = policies.getByRole('button', { name: 'Remove' }).first();
  await expectText(policies, /Remove is not available: A service control policy of the organization denies iam:DeleteRolePolicy here\./);
  assert.equal(await remove.isDisabled(), true);
  // The reason is the button's description, for a screen reader too.
  const description = await remove.evaluate((b) => b.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent).join(' '));
  assert.match(description, /service control policy/);
  // A role the SCP does not protect: offered.
  await page.goto(`${env.url}/iam/role?name=ProdOperator`);
  const ops = page.getByRole('list', { name: 'Permission policies' });
  await ops.getByRole('listitem').first().waitFor();
  assert.equal(await ops.getByRole('button', { name: 'Remove' }).first().isEnabled(), true);
  await finish();
});

test('a catalog entry and a history entry removed come back with Undo, which has the focus', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/catalog`);
  await page.getByRole('heading', { level: 1, name: 'Role catalog' }).waitFor();
  await page.getByRole('textbox', { name: 'Configuration' }).fill(
    '[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB\n[profile ops]\nrole_arn = arn:aws:iam::222222222222:role/ops/ProdOperator\n',
  );
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const entries = page.getByRole('list', { name: 'Roles in the catalog' });
  await expectText(entries, /prod/);
  const names = () => entries.locator('.catalog-head strong').allTextContents();
  const before = await names();
  assert.equal(before.length, 2);
  const named = entries.getByRole('listitem').filter({ has: page.locator('.catalog-head strong', { hasText: new RegExp(`^${before[0]}$`) }) });
  await named.getByRole('button', { name: 'Remove' }).click();
  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.waitFor();
  // The removed entry's button is gone: the focus goes to Undo, not to the page's body.
  await page.waitForFunction(() => document.activeElement?.textContent.trim() === 'Undo');
  await expectText(page.getByRole('status').filter({ has: undo }), new RegExp(`Removed ${before[0]} from the catalog\\.`));
  assert.deepEqual(await names(), [before[1]]);
  await page.keyboard.press('Enter');
  await expectText(page.getByRole('status').filter({ hasText: 'back in the catalog' }), new RegExp(`${before[0]} is back in the catalog\\.`));
  assert.deepEqual(await names(), before, 'back at its place');

  // The history: an entry stored by an earlier switch.
  await page.evaluate(() => localStorage.setItem('crossrole.history.v1', JSON.stringify({
    version: 1,
    entries: [{ account: '222222222222', role: { path: '/', name: 'AccessToProdDynamoDB' }, displayName: 'PRODUCTION', color: 'f2b0a9' }],
  })));
  await page.reload();
  const history = page.getByRole('list', { name: 'Role history' });
  await expectText(history, /PRODUCTION/);
  await history.getByRole('button', { name: 'Remove' }).click();
  await expectText(page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) }), /Removed PRODUCTION from the role history\./);
  assert.equal(await history.getByRole('listitem').count(), 0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectText(history, /PRODUCTION/);
  assert.match(await page.evaluate(() => localStorage.getItem('crossrole.history.v1')), /PRODUCTION/);
  await finish();
});

test('Reset demo world asks first, naming what goes; Cancel keeps everything', async () => {
  const { page, finish } = await openPage(env);
  await signInWithPassword(page, env.url, PROD_ADMIN);
  await page.goto(`${env.url}/iam`);
  await page.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
  // A mark in this page's memory: a reset reloads the page, which forgets it.
  await page.evaluate(() => { window.notReloaded = true; });
  await page.getByRole('button', { name: 'Reset demo world' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset the demo world?' });
  await expectText(dialog, /Every role, group policy and managed policy created or changed in this browser goes/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'nothing was reset');
  await page.getByRole('button', { name: 'Reset demo world' }).click();
  await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Reset' }).click()]);
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, 'reset and reloaded');
  await finish();
});

test('where the simulator says no, Grant and Create role are shown disabled with the reason (emulator)', async () => {
  const emulator = await startEmulator([]);
  try {
    // CorpAdmin lets Developers (David's group) read IAM and simulate, and nothing more of IAM.
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:SimulatePrincipalPolicy', 'iam:List*', 'iam:Get*'], Resource: '*' }],
    });
    const body = new URLSearchParams({ Action: 'PutGroupPolicy', Version: '2010-05-08', GroupName: 'Developers', PolicyName: 'ReadIam', PolicyDocument: document }).toString();
    const corpAdmin = { accessKeyId: 'AKIAEXAMPLECORPADMIN', secretAccessKey: 'C0rpAdm1nSecretKeyExample/ForDemoOnly000' };
    const put = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(`${emulator.url}/`, corpAdmin, { region: 'us-east-1', service: 'iam', body }) },
      body,
    });
    assert.equal(put.status, 200, await put.text());

    const { page, finish } = await openPage(env);
    await page.goto(`${emulator.url}/signin`);
    await fillKeySignIn(page, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await identityButton(page).filter({ hasText: /^David/ }).waitFor();

    await page.goto(`${emulator.url}/iam/grant?group=Developers&role=${encodeURIComponent('arn:aws:iam::222222222222:role/AccessToProdDynamoDB')}`);
    await page.getByRole('heading', { level: 1, name: 'Grant switch access' }).waitFor();
    await expectText(page.getByRole('main'), /Grant is not available: No policy of yours allows iam:PutGroupPolicy\./);
    assert.equal(await page.getByRole('button', { name: 'Grant', exact: true }).isDisabled(), true);

    await page.goto(`${emulator.url}/iam/create`);
    await page.getByRole('textbox', { name: 'Role name' }).fill('DavidsRole');
    await page.getByRole('textbox', { name: 'Trusted account ID' }).fill('111111111111');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radiogroup', { name: 'Permissions' }).getByRole('radio', { name: 'DynamoDB read-only' }).check();
    await page.getByRole('checkbox', { name: 'DevScores', exact: true }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Step 3 of 3: Review and create' }).waitFor();
    await expectText(page.getByRole('main'), /Create role is not available: No policy of yours allows iam:CreateRole\./);
    assert.equal(await page.getByRole('button', { name: 'Create role', exact: true }).isDisabled(), true);
    await finish();
  } finally {
    await emulator.stop();
  }
});

test('a smaller history size says which roles it dropped, and Undo brings them and the size back', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/catalog`);
  await page.getByRole('heading', { level: 1, name: 'Role catalog' }).waitFor();
  const entry = (name, role, account, path = '/') => ({ account, role: { path, name: role }, displayName: name });
  await page.evaluate((entries) => localStorage.setItem('crossrole.history.v1', JSON.stringify({ version: 1, capacity: 5, entries })), [
    entry('PRODUCTION', 'AccessToProdDynamoDB', '222222222222'),
    entry('SENSITIVE', 'SensitiveDataAccess', '111111111111'),
    entry('OPS', 'ProdOperator', '222222222222', '/ops/'),
  ]);
  await page.reload();
  const history = page.getByRole('list', { name: 'Role history' });
  const names = () => history.locator('.catalog-head strong').allTextContents();
  await expectText(history, /OPS/);
  await page.getByRole('spinbutton', { name: 'History size' }).fill('1');
  await page.getByRole('button', { name: 'Keep this many' }).click();
  const undo = page.getByRole('button', { name: 'Undo' });
  await expectText(page.getByRole('status').filter({ has: undo }), /The history keeps 1 role: removed SENSITIVE, OPS\./);
  assert.deepEqual(await names(), ['PRODUCTION']);
  await undo.click();
  await expectText(page.getByRole('status').filter({ hasText: 'again' }), /The history keeps 5 roles again, SENSITIVE, OPS back\./);
  assert.deepEqual(await names(), ['PRODUCTION', 'SENSITIVE', 'OPS']);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('crossrole.history.v1')));
  assert.equal(stored.capacity, 5);
  await finish();
});
