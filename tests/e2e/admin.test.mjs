// The administrator's walk-through, the administrator's half then the user's, on the release build with
// the in-browser mock and with crossrole-emulator: ProdAdmin creates AccessToProdBilling
// (trusting 111111111111, MFA required, DynamoDB read-only on Billing) with the Create role
// wizard and copies its predefined link; CorpAdmin grants group Developers the switch; the
// access map shows David "Allowed with MFA" and Maria denied with the reason; David opens the
// link, switches, reads Billing and is denied GameScores. Screenshots of each admin page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, expectText, openPage, provoked, start } from './harness.mjs';
import { backends, signOut } from './backends.mjs';
import { startEmulator } from './emulator.mjs';

const ROLE_ARN = 'arn:aws:iam::222222222222:role/AccessToProdBilling';

let browserEnv;
let emulator;
before(async () => {
  browserEnv = await start();
  emulator = await startEmulator([]);
});
after(async () => {
  await browserEnv?.stop();
  await emulator?.stop();
});

const BACKENDS = backends(() => browserEnv, () => emulator);

/** A cell of the access map, by its row header (a user, or "Developers (group)") and column header (role), and its
 * accessible description. */
async function accessCell(page, user, role) {
  const table = page.getByRole('table', { name: 'Access map' });
  const headers = await table.getByRole('columnheader').allTextContents();
  const column = headers.indexOf(role);
  assert.ok(column > 0, `a column for ${role} in ${JSON.stringify(headers)}`);
  const escaped = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const cell = table.getByRole('row', { name: new RegExp(`^${escaped}(?=\\s|$)`) }).locator('th, td').nth(column);
  const text = await cell.evaluate((td) => td.firstChild.textContent.trim());
  const description = await cell.evaluate((td) => document.getElementById(td.getAttribute('aria-describedby')).textContent);
  return { text, description };
}

for (const [name, backend] of Object.entries(BACKENDS)) {
  test(`the administrator's walk-through on the ${name}`, async () => {
    const base = backend.base();
    const refusals = provoked(`${base}/`);
    const { page, finish } = await openPage(browserEnv, { expectedRefusals: refusals.excuse });
    const shot = (file) => name === 'mock' && page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });

    // ProdAdmin creates the role with the wizard.
    await backend.signIn(page, 'ProdAdmin');
    await page.goto(`${base}/iam`);
    await page.getByRole('link', { name: 'Create role' }).click();
    await page.getByRole('heading', { name: 'Step 1 of 3: Role and trust' }).waitFor();
    await page.getByRole('textbox', { name: 'Role name' }).fill('AccessToProdBilling');
    await page.getByRole('textbox', { name: 'Trusted account ID' }).fill('111111111111');
    assert.ok(await page.getByRole('checkbox', { name: 'Require MFA' }).isChecked(), 'MFA is required by default');
    await shot('iam-create-role.png');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Step 2 of 3: Permissions' }).waitFor();
    const permissions = page.getByRole('radiogroup', { name: 'Permissions' });
    await permissions.getByRole('radio', { name: 'DynamoDB read-only' }).check();
    await page.getByRole('checkbox', { name: 'Billing', exact: true }).check();
    await shot('iam-create-permissions.png');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Step 3 of 3: Review and create' }).waitFor();
    const trust = JSON.parse(await page.locator('pre[aria-labelledby=review-trust]').textContent());
    assert.deepEqual(trust.Statement[0].Principal, { AWS: 'arn:aws:iam::111111111111:root' });
    assert.deepEqual(trust.Statement[0].Condition, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const permission = JSON.parse(await page.locator('pre[aria-labelledby=review-permissions]').textContent());
    assert.deepEqual(permission.Statement[1].Resource, ['arn:aws:dynamodb:us-west-2:222222222222:table/Billing']);
    await shot('iam-create-review.png');
    // The role under review, as Terraform: the same trust and permissions as the documents above.
    await page.getByRole('button', { name: 'Export as Terraform' }).click();
    const planned = await page.getByRole('textbox', { name: 'Terraform configuration (HCL)' }).inputValue();
    assert.match(planned, /^resource "aws_iam_role" "access_to_prod_billing" \{\n  name                 = "AccessToProdBilling"\n/);
    assert.match(planned, /"aws:MultiFactorAuthPresent": "true"/);
    assert.match(planned, /\nresource "aws_iam_role_policy" "access_to_prod_billing_inline_1" \{\n/);
    assert.match(planned, /arn:aws:dynamodb:us-west-2:222222222222:table\/Billing/);
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('heading', { name: 'Role created' }).waitFor();
    await expectText(page.locator('dl'), new RegExp(ROLE_ARN));
    // Both halves of the set-up (IAM User Guide, "Granting a user permissions to switch roles"):
    // what was done here, and what the trusted account's administrator must still do.
    const setUp = await page.getByRole('list', { name: 'Set-up' }).getByRole('listitem').allTextContents();
    assert.equal(setUp[0], 'Done in this account (2222-2222-2222): the role AccessToProdBilling trusts account 1111-1111-1111, and only with MFA at sign-in.');
    assert.match(setUp[1], /^Still to do, in account 1111-1111-1111: its administrator lets the people who will switch call sts:AssumeRole on arn:aws:iam::222222222222:role\/AccessToProdBilling/);
    const grantHref = await page.getByRole('link', { name: 'Grant switch access' }).getAttribute('href');
    assert.equal(grantHref, `/iam/grant?role=${encodeURIComponent(ROLE_ARN)}`);
    await page.getByRole('textbox', { name: 'Display name' }).fill('Billing');
    await page.getByRole('radiogroup', { name: 'Color' }).getByRole('radio', { name: 'Blue' }).check();
    const linkBox = page.getByRole('textbox', { name: 'Switch role link' });
    await expectText(page.locator('.copy-link'), /Copy link/);
    await page.waitForFunction(() => document.getElementById('switch-link')?.value.includes('color=83d4e8'));
    const link = await linkBox.inputValue();
    assert.equal(link, `${base}/switchrole?account=222222222222&roleName=AccessToProdBilling&displayName=Billing&color=83d4e8`);
    await shot('iam-role-created.png');
    await signOut(page);

    // CorpAdmin grants Developers the switch.
    await backend.signIn(page, 'CorpAdmin');
    // The link from "Role created", as the trusted account's administrator would open it.
    await page.goto(`${base}${grantHref}`);
    await page.getByRole('heading', { name: 'Grant switch access' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Role ARN' }).inputValue(), ROLE_ARN);
    await page.getByRole('combobox', { name: 'Group' }).selectOption('Developers');
    await expectText(page.getByRole('list', { name: 'Members' }), /David/);
    await page.getByRole('textbox', { name: 'Role ARN' }).fill(ROLE_ARN);
    await page.getByRole('button', { name: 'Grant' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'may now switch' }), /Developers may now switch/);
    await expectText(page.getByRole('list', { name: 'Policies of Developers' }), /SwitchToAccessToProdBillingIn222222222222/);
    await shot('iam-grant.png');
    // The grant as CloudFormation, for accounts managed as code.
    await page.getByRole('button', { name: 'Export as CloudFormation' }).click();
    const grantCode = await page.getByRole('textbox', { name: 'CloudFormation template (YAML)' }).inputValue();
    assert.match(grantCode, /\n    Type: AWS::IAM::GroupPolicy\n    Properties:\n      GroupName: "Developers"\n      PolicyName: "SwitchToAccessToProdBillingIn222222222222"\n/);
    assert.match(grantCode, new RegExp(`"Resource":"${ROLE_ARN}"`));

    // The access map, before anyone clicks.
    await page.goto(`${base}/iam/access`);
    await page.getByRole('table', { name: 'Access map' }).waitFor();
    const role = 'AccessToProdBilling (2222-2222-2222)';
    const david = await accessCell(page, 'David', role);
    assert.equal(david.text, 'Allowed with MFA');
    const maria = await accessCell(page, 'Maria', role);
    assert.equal(maria.text, 'Denied');
    assert.match(maria.description, /No identity policy allows sts:AssumeRole on arn:aws:iam::222222222222:role\/AccessToProdBilling/);
    // The group the switch was granted to has its own row: what membership alone allows.
    const developers = await accessCell(page, 'Developers (group)', role);
    assert.equal(developers.text, 'Allowed with MFA');
    await page.getByRole('table', { name: 'Access map' }).getByRole('row', { name: /^Maria\b/ }).locator('td').nth(1).focus();
    await shot('iam-access-map.png');
    await signOut(page);

    // David opens the link from the review step, switches, reads Billing, not GameScores.
    await backend.signIn(page, 'David');
    await page.goto(link);
    const switchButton = page.getByRole('button', { name: 'Switch Role' });
    await switchButton.waitFor();
    if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await switchButton.click();
    assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdBilling');
    await page.getByRole('button', { name: 'Switch Role' }).click();
    await page.getByRole('banner').getByRole('button', { name: /^Billing/ }).waitFor();
    await page.goto(`${base}/dynamodb?table=Billing`);
    await page.getByRole('table').getByText(/^Billing: \d+ items$/).waitFor();
    await refusals.during(async () => {
      await page.getByRole('link', { name: 'GameScores' }).click();
      await expectText(page.getByRole('alert'), /Access denied.*could not read GameScores/s);
    });
    await finish();
  });
}
