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

test('a role page exports the role as CloudFormation and as Terraform, and copies each', async () => {
  const { page, finish } = await openPage(env);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  await signIn(page, 'example-prod', 'ProdAdmin', 'prodadmin-Pa55word!');
  await page.goto(`${env.url}/iam/role?name=ProdOperator`);
  await page.getByRole('heading', { name: 'ProdOperator' }).waitFor();
  const exports = [
    ['CloudFormation', 'CloudFormation template (YAML)', [
      /^AWSTemplateFormatVersion: "2010-09-09"\n/,
      /\n  ProdOperatorRole:\n    Type: AWS::IAM::Role\n/,
      /\n      Path: "\/ops\/"\n/,
      /\n        - PolicyName: "GameScoresReadOnly"\n/,
      /\n        - "arn:aws:iam::aws:policy\/AmazonDynamoDBReadOnlyAccess"\n/,
      /\n      PermissionsBoundary: "arn:aws:iam::222222222222:policy\/ProdOperatorBoundary"\n/,
    ]],
    ['Terraform', 'Terraform configuration (HCL)', [
      /^resource "aws_iam_role" "prod_operator" \{\n/,
      /\n  permissions_boundary = "arn:aws:iam::222222222222:policy\/ProdOperatorBoundary"\n/,
      /\nresource "aws_iam_role_policy" "prod_operator_inline_1" \{\n  name   = "GameScoresReadOnly"\n  role   = aws_iam_role.prod_operator.id\n/,
      /\nresource "aws_iam_role_policy_attachment" "prod_operator_managed_1" \{\n/,
    ]],
  ];
  for (const [format, label, shapes] of exports) {
    const button = page.getByRole('button', { name: `Export as ${format}` });
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const box = page.getByRole('textbox', { name: label });
    await box.waitFor();
    assert.equal(await box.getAttribute('readonly'), '');
    const code = await box.inputValue();
    for (const shape of shapes) assert.match(code, shape);
    await page.getByRole('button', { name: `Copy ${format}` }).click();
    await page.locator('#code-export').getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  }
  // Only the chosen export is shown.
  assert.equal(await page.getByRole('button', { name: 'Export as CloudFormation' }).getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('textbox', { name: 'CloudFormation template (YAML)' }).count(), 0);
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
