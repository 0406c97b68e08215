// Messages that say what to do next: each refusal a person can meet names the next step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREDEFINED_LINK, expectText, identityButton, openMenu, openPage, signInWithPassword, start, switchTo } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Fills the mock's sign-in form as David with `code` and submits it. */
async function signInWith(page, code) {
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).fill('David');
  await page.getByLabel('Password').fill('david-Pa55word!');
  await page.getByRole('textbox', { name: 'MFA code' }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an MFA code used a moment ago is refused with what to do: wait for the next one, and how long', async () => {
  const { page, finish } = await openPage(env);
  const code = totp(DAVID_SEED);
  await page.goto(`${env.url}/signin`);
  await signInWith(page, code);
  await identityButton(page).filter({ hasText: 'David @ example-corp' }).waitFor();
  await identityButton(page).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  // The device still shows the same code: before, this said the code was "not valid".
  await signInWith(page, code);
  const alert = page.getByRole('main').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /This MFA code was just used, and each code works once\. Wait for the device to show the next code \(in about ([1-9]|[12][0-9]|30) seconds\), then enter it\./);
  await finish();
});

test('a predefined link opened signed out says on the sign-in page where it is headed, and leads there', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await expectText(
    page.getByRole('main'),
    /You opened a link to switch to role AccessToProdDynamoDB in account 2222-2222-2222, shown as PRODUCTION\. Sign in, then confirm the switch on the form it fills in\./,
  );
  await signInWith(page, totp(DAVID_SEED));
  await page.getByRole('heading', { level: 1, name: 'Switch Role' }).waitFor();
  await finish();
});

test('a role the switch was refused for offers no link to share, and a different role does', async () => {
  const { page, finish } = await openPage(env);
  // Maria has no sts:AssumeRole: the switch is refused.
  await signInWithPassword(page, env.url, { user: 'Maria', password: 'maria-Pa55word!' });
  await switchTo(page, env.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
  await page.getByRole('main').getByRole('alert').filter({ hasText: 'Could not switch' }).waitFor();
  const main = page.getByRole('main');
  assert.equal(await main.getByRole('textbox', { name: 'Predefined link' }).count(), 0, 'no link to the refused role');
  await expectText(main, /No link to share: switching to this role was refused\./);
  // Another role in the form: its link is offered again (nothing says it would be refused).
  await page.getByRole('textbox', { name: 'Role' }).fill('SomeOtherRole');
  await main.getByRole('textbox', { name: 'Predefined link' }).waitFor();
  assert.match(await main.getByRole('textbox', { name: 'Predefined link' }).inputValue(), /roleName=SomeOtherRole/);
  await finish();
});

test('a Grant page in an account with no groups says why and what to do', async () => {
  const { page, finish } = await openPage(env);
  await signInWithPassword(page, env.url, { account: 'example-prod', user: 'ProdAdmin', password: 'prodadmin-Pa55word!' });
  await page.goto(`${env.url}/iam/grant`);
  await page.getByRole('heading', { level: 1, name: 'Grant switch access' }).waitFor();
  await expectText(page.getByRole('main'), /Account 2222-2222-2222 has no IAM groups, and switch access is granted to a group\./);
  assert.equal(await page.getByRole('combobox', { name: 'Group' }).count(), 0, 'no empty list to choose from');
  await finish();
});

test('the Identity menu shows the account ID grouped as the AWS console does, copies it as digits, and names each history entry\'s role and account', async () => {
  const { page, finish } = await openPage(env);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  await signInWithPassword(page, env.url, { user: 'David', password: 'david-Pa55word!', mfa: true });
  await switchTo(page, env.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
  await identityButton(page).filter({ hasText: 'AccessToProdDynamoDB @ 222222222222' }).waitFor();
  const menu = await openMenu(page);
  await expectText(menu, /Account ID: 2222-2222-2222/);
  const entry = menu.getByRole('group', { name: 'Role history' }).getByRole('menuitem');
  assert.equal(await entry.count(), 1);
  assert.equal((await entry.locator('.history-detail').textContent()).trim(), ', AccessToProdDynamoDB in 2222-2222-2222');
  await menu.getByRole('menuitem', { name: 'Copy account ID' }).click();
  await page.getByRole('status').filter({ hasText: 'Account ID copied.' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '222222222222');
  await finish();
});
