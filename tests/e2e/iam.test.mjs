// The administrator's IAM pages on the release build with the mock:
// the Roles table and a role's page with its ARN and predefined switch link.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, expectText, openPage, signInWithPassword, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function signIn(page, account, user, password) {
  await signInWithPassword(page, env.url, { account, user, password });
}

test('ProdAdmin sees the Roles table and a role page with its switch link', async () => {
  const { page, finish } = await openPage(env);
  await signIn(page, 'example-prod', 'ProdAdmin', 'prodadmin-Pa55word!');
  // The navigation offers IAM to an identity that may use it.
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'IAM' }).click();
  await page.getByRole('heading', { name: 'Roles' }).waitFor();
  const table = page.getByRole('table', { name: 'Roles' });
  const row = table.getByRole('row', { name: /AccessToProdDynamoDB/ });
  await expectText(row, /111111111111/);
  await expectText(row, /Yes/, 'MFA required');
  await expectText(table.getByRole('row', { name: /ProdOperator/ }), /\/ops\/.*222222222222.*No.*Never/);
  await page.screenshot({ path: join(ARTIFACTS, 'iam-roles.png') });

  await table.getByRole('link', { name: 'AccessToProdDynamoDB' }).click();
  await page.getByRole('heading', { name: 'AccessToProdDynamoDB' }).waitFor();
  await expectText(page.locator('dl'), /arn:aws:iam::222222222222:role\/AccessToProdDynamoDB/);
  const link = page.getByRole('textbox', { name: 'Switch role link' });
  assert.equal(await link.getAttribute('readonly'), '');
  assert.equal(
    await link.inputValue(),
    `${env.url}/switchrole?account=222222222222&roleName=AccessToProdDynamoDB`,
  );
  await page.getByRole('button', { name: 'Copy link' }).waitFor();
  await expectText(page.getByRole('list', { name: 'Permission policies' }), /GameScoresFullAccess/);
  await page.screenshot({ path: join(ARTIFACTS, 'iam-role.png') });

  // The link opens the Switch Role page pre-filled (past its first-run page).
  await page.goto(await link.inputValue());
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('textbox', { name: 'Account' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Account' }).inputValue(), '222222222222');
  assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdDynamoDB');
  await finish();
});

test('a direct visit without IAM permissions explains the refusal', async () => {
  const { page, finish } = await openPage(env);
  await signIn(page, 'example-corp', 'Maria', 'maria-Pa55word!');
  await page.goto(`${env.url}/iam`);
  const alert = page.getByRole('alert');
  await expectText(alert, /Access denied.*could not list the roles.*iam:ListRoles/s);
  // …and the navigation does not offer IAM to her (its probe was refused like this page).
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'DynamoDB' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'IAM' }).count(), 0);
  await finish();
});
