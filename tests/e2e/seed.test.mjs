// The seed scenario on the release build, in real headless Chromium, against the in-browser
// mock: David switches to PRODUCTION, reads GameScores, is denied Players, goes back, and
// switches again from the history after a reload. Then every denied row of the demo world's
// walk-through shows its reason, and no secret ever reaches localStorage.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, expectText, identityButton, openMenu, openPage, start, storageOf, switchTo } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

const SEED_LINK =
  '/switchrole?account=222222222222&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function signIn(page, { account, user, password, mfa }) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill(account);
  await page.getByRole('textbox', { name: 'IAM user name' }).fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('textbox', { name: 'MFA code' }).fill(mfa ? totp(DAVID_SEED) : '');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the seed: David switches to PRODUCTION and back, and again from the history', async () => {
  const { page, finish } = await openPage(env);

  // The predefined link survives the sign-in.
  await page.goto(`${env.url}${SEED_LINK}`);
  await page.getByRole('heading', { name: 'Demo accounts' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png'), fullPage: true });
  await signIn(page, { account: 'example-corp', user: 'David', password: 'david-Pa55word!', mfa: true });
  await page.waitForURL((u) => u.pathname === '/switchrole' && u.searchParams.get('roleName') === 'AccessToProdDynamoDB');
  await expectText(identityButton(page), /^David @ example-corp/);

  // First run: the explanation, then the form, pre-filled but not switched.
  await page.getByRole('heading', { name: 'Switch Role' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'first-run.png') });
  assert.equal(await page.getByRole('textbox', { name: 'Account' }).count(), 0);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  const account = page.getByRole('textbox', { name: 'Account' });
  await account.waitFor();
  assert.equal(await account.inputValue(), '222222222222');
  assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdDynamoDB');
  assert.equal(await page.getByRole('textbox', { name: 'Display Name' }).inputValue(), 'PRODUCTION');
  assert.equal(await page.getByRole('radiogroup', { name: 'Color' }).getByRole('radio', { name: 'Red' }).isChecked(), true);
  await expectText(identityButton(page), /^David @ example-corp/, 'a link never switches by itself');
  await page.screenshot({ path: join(ARTIFACTS, 'switch-role-form.png') });

  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^PRODUCTION/ }).waitFor();
  const background = await identityButton(page).evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(background, 'rgb(242, 176, 169)', 'PRODUCTION in red');
  const menu = await openMenu(page);
  for (const text of ['Account ID: 2222-2222-2222', 'Role: AccessToProdDynamoDB', 'Signed in as David']) {
    assert.ok((await menu.textContent()).includes(text), text);
  }
  await menu.getByRole('menuitem', { name: 'Back to David' }).waitFor();
  const openBackground = await identityButton(page).evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(openBackground, 'rgb(242, 176, 169)', 'still red with the menu open');
  await page.screenshot({ path: join(ARTIFACTS, 'in-role-menu.png') });
  await page.keyboard.press('Escape');

  // The role's permissions, and only those.
  await page.goto(`${env.url}/dynamodb?table=GameScores`);
  await page.getByRole('table').getByText('GameScores: 4 items').waitFor();
  assert.ok(await page.getByRole('cell', { name: 'Galaxy Invaders' }).first().isVisible());
  await page.screenshot({ path: join(ARTIFACTS, 'dynamodb-gamescores.png') });
  await page.getByRole('link', { name: 'Players' }).click();
  const denied = page.getByRole('alert').filter({ hasText: 'Access denied' });
  await denied.waitFor();
  await expectText(denied, /no identity policy allows dynamodb:Scan/i);
  await expectText(denied, /PRODUCTION/);
  await page.screenshot({ path: join(ARTIFACTS, 'dynamodb-denied.png') });

  // Back to David: his own permissions again.
  await (await openMenu(page)).getByRole('menuitem', { name: 'Back to David' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^David @ example-corp/ }).waitFor();
  await page.goto(`${env.url}/dynamodb?table=DevScores`);
  await page.getByRole('table').getByText('DevScores: 3 items').waitFor();

  // A reload keeps the tab's session and the history; switch again from it.
  await page.reload();
  await page.getByRole('banner').getByRole('button', { name: /^David @ example-corp/ }).waitFor();
  const again = await openMenu(page);
  await page.screenshot({ path: join(ARTIFACTS, 'history-menu.png') });
  await again.getByRole('menuitem', { name: 'PRODUCTION' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^PRODUCTION/ }).waitFor();

  await assertNoSecretsInLocalStorage(page);
  await finish();
});

async function assertNoSecretsInLocalStorage(page) {
  const { local, session } = await storageOf(page);
  assert.ok(Object.keys(local).length > 0, 'the history is in localStorage');
  const localText = JSON.stringify(local);
  // Every credential the tab holds lives in sessionStorage; none may be in localStorage.
  const secrets = new Set(['david-Pa55word!', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', DAVID_SEED]);
  for (const value of Object.values(session)) {
    for (const m of value.matchAll(/"(secretAccessKey|sessionToken)":"([^"]+)"/g)) secrets.add(m[2]);
  }
  assert.ok(secrets.size > 3, 'the session holds credentials to look for');
  for (const secret of secrets) {
    assert.ok(!localText.includes(secret), `localStorage holds a secret (${secret.slice(0, 6)}…)`);
  }
  assert.doesNotMatch(localText, /secret|token|password/i);
}

const DENIED = [
  {
    who: 'David without MFA',
    signIn: { account: 'example-corp', user: 'David', password: 'david-Pa55word!', mfa: false },
    target: { account: '222222222222', role: 'AccessToProdDynamoDB' },
    reason: /requires MFA at sign-in/i,
    next: /Sign out, then sign in again with your MFA code\./,
  },
  {
    who: 'Maria',
    signIn: { account: '111111111111', user: 'Maria', password: 'maria-Pa55word!', mfa: false },
    target: { account: 'example-prod', role: 'AccessToProdDynamoDB' },
    reason: /no identity policy allows sts:AssumeRole/i,
    next: /Ask an administrator of your account to allow this action for you\./,
  },
  {
    who: 'Mallory',
    signIn: { account: '333333333333', user: 'Mallory', password: 'mallory-Pa55word!', mfa: false },
    target: { account: '222222222222', role: 'AccessToProdDynamoDB' },
    reason: /does not trust account 333333333333/i,
    next: /Ask the role's account to trust yours/,
  },
  {
    who: 'David, wrong-case role name',
    signIn: { account: 'example-corp', user: 'David', password: 'david-Pa55word!', mfa: true },
    target: { account: '222222222222', role: 'accesstoproddynamodb' },
    reason: /no role with that exact name/i,
    next: /Check the role name's spelling and case: role names are case-sensitive\./,
  },
];

for (const row of DENIED) {
  test(`walk-through: ${row.who} is denied with the reason and what to do next`, async () => {
    const { page, finish } = await openPage(env);
    await page.goto(`${env.url}/signin`);
    await signIn(page, row.signIn);
    await identityButton(page).filter({ hasText: `${row.signIn.user} @ ` }).waitFor();
    await switchTo(page, env.url, row.target);
    const alert = page.getByRole('alert').filter({ hasText: 'Could not switch' });
    await alert.waitFor();
    await expectText(alert, row.reason);
    await expectText(alert, row.next);
    // The base session and what was typed are kept.
    assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), row.target.role);
    await expectText(identityButton(page), new RegExp(`^${row.signIn.user} @ `));
    if (row.who === 'David without MFA') await page.screenshot({ path: join(ARTIFACTS, 'switch-denied.png') });
    await finish();
  });
}

test('walk-through: David with MFA reads Payroll in SensitiveDataAccess, not DevScores', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/signin`);
  await signIn(page, { account: 'example-corp', user: 'David', password: 'david-Pa55word!', mfa: true });
  await identityButton(page).filter({ hasText: 'David @ ' }).waitFor();
  await page.goto(`${env.url}/dynamodb?table=Payroll`);
  await page.getByRole('alert').filter({ hasText: 'Access denied' }).waitFor();
  await switchTo(page, env.url, { account: '111111111111', role: 'SensitiveDataAccess' });
  await page.getByRole('banner').getByRole('button', { name: /^SensitiveDataAccess @ 111111111111/ }).waitFor();
  await page.goto(`${env.url}/dynamodb?table=Payroll`);
  await page.getByRole('table').getByText('Payroll: 3 items').waitFor();
  await page.getByRole('link', { name: 'DevScores' }).click();
  await page.getByRole('alert').filter({ hasText: 'Access denied' }).waitFor();
  await finish();
});
