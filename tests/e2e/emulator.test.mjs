// The console against crossrole-emulator over the real wire protocols: the emulator serves the
// release build same-origin (its config.json names the STS backend), the console signs every
// request with SigV4 in the page, and the emulator verifies each one. David signs in with his
// access key and MFA, switches to PRODUCTION from a predefined link, reads GameScores, is
// denied Players, and goes back; refusals, a wrong secret and an expired role session each
// show a clear message and keep what must be kept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, expectText, fillKeySignIn, identityButton, openMenu, openPage, provoked, start, storageOf, switchTo } from './harness.mjs';
import { startEmulator } from './emulator.mjs';
import { DAVID_SEED, freshCode } from './totp.mjs';

const DAVID_KEY = 'AKIAIOSFODNN7EXAMPLE';
const DAVID_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SEED_LINK =
  '/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9';

let browserEnv;
let emulator;
/** The MFA steps this file's emulator has seen (a code works once). */
const usedSteps = new Set();
before(async () => {
  browserEnv = await start();
  emulator = await startEmulator(['--explain', '--test-hooks']);
});
after(async () => {
  await browserEnv?.stop();
  const status = await emulator?.stop();
  assert.deepEqual(status, { code: 0, signal: null }, 'SIGTERM stops the emulator gracefully');
});

/**
 * A page on the emulator's origin, and `refusals.during(...)` for the steps where the test
 * provokes the endpoint's refusals on purpose (any other HTTP error fails the test).
 */
async function openOnEmulator() {
  const refusals = provoked(`${emulator.url}/`);
  const opened = await openPage(browserEnv, { expectedRefusals: refusals.excuse });
  return { ...opened, refusals };
}

async function signIn(page, { key = DAVID_KEY, secret = DAVID_SECRET, mfa = true } = {}) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Demo accounts' }).count(), 0);
  await fillKeySignIn(page, { accessKeyId: key, secretAccessKey: secret, mfaCode: mfa ? await freshCode(DAVID_SEED, usedSteps) : '' });
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('David signs in with his access key and MFA, switches to PRODUCTION, and back', async () => {
  const { page, finish, refusals } = await openOnEmulator();
  await page.goto(`${emulator.url}${SEED_LINK}`);
  await page.getByRole('textbox', { name: 'Access key ID' }).fill(DAVID_KEY);
  await page.screenshot({ path: join(ARTIFACTS, 'emulator-sign-in.png') });
  await signIn(page);
  await page.waitForURL((u) => u.pathname === '/switchrole' && u.searchParams.get('account') === 'example-prod');
  // The alias comes from the emulator's config.json; the ARN from GetCallerIdentity.
  await expectText(identityButton(page), /^David @ example-corp/);
  assert.deepEqual(page.workers(), [], 'an HTTP backend never starts the mock');

  await page.getByRole('button', { name: 'Switch Role' }).click();
  assert.equal(await page.getByRole('textbox', { name: 'Account' }).inputValue(), 'example-prod');
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^PRODUCTION/ }).waitFor();
  assert.equal(
    await identityButton(page).evaluate((b) => getComputedStyle(b).backgroundColor),
    'rgb(242, 176, 169)',
  );
  const menu = await openMenu(page);
  assert.ok((await menu.textContent()).includes('Account ID: 2222-2222-2222'));
  await page.keyboard.press('Escape');

  await page.goto(`${emulator.url}/dynamodb?table=GameScores`);
  await page.getByRole('table').getByText('GameScores: 4 items').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'emulator-gamescores.png') });
  const denied = page.getByRole('alert').filter({ hasText: 'Access denied' });
  await refusals.during(async () => {
    await page.getByRole('link', { name: 'Players' }).click();
    await denied.waitFor();
  });
  await expectText(denied, /not authorized to perform: dynamodb:Scan/);

  // The long-term secret was used once and forgotten; no credential is in localStorage.
  const { local, session } = await storageOf(page);
  const everything = JSON.stringify({ local, session });
  assert.ok(!everything.includes(DAVID_SECRET), 'the long-term secret is not kept anywhere');
  const sessionSecrets = [...JSON.stringify(session).matchAll(/\\"(secretAccessKey|sessionToken)\\":\\"([^\\"]+)\\"/g)].map((m) => m[2]);
  assert.ok(sessionSecrets.length >= 4, 'base and role credentials are in sessionStorage');
  for (const s of sessionSecrets) assert.ok(!JSON.stringify(local).includes(s), 'no session secret in localStorage');
  // Nothing on the page holds the secret: no field, no text, no attribute.
  const onPage = await page.evaluate(() => [
    document.documentElement.outerHTML,
    ...[...document.querySelectorAll('input, textarea')].map((i) => i.value),
  ].join('\n'));
  assert.ok(!onPage.includes(DAVID_SECRET), 'the secret is nowhere on the page');

  // Still on the Players page, back as David: his own account has no Players table either,
  // so the page's Scan is refused again (and once more after the reload).
  await refusals.during(async () => {
    await (await openMenu(page)).getByRole('menuitem', { name: 'Back to David' }).click();
    await page.getByRole('banner').getByRole('button', { name: /^David @ example-corp/ }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Players' }).waitFor();
    // A reload keeps the tab's session: the STS backend needs nothing but the stored credentials.
    await page.reload();
    await page.getByRole('banner').getByRole('button', { name: /^David @ example-corp/ }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Players' }).waitFor();
  });
  await page.goto(`${emulator.url}/dynamodb?table=DevScores`);
  await page.getByRole('table').getByText('DevScores: 3 items').waitFor();

  // The emulator's log names actions and key ids, never a secret.
  const log = emulator.log.join('\n');
  assert.match(log, /"action":"AssumeRole"/);
  for (const s of [DAVID_SECRET, ...sessionSecrets]) assert.ok(!log.includes(s), 'no secret in the log');
  await finish();
});

test('without MFA the switch is refused with the reason, and the form and session are kept', async () => {
  const { page, finish, refusals } = await openOnEmulator();
  await page.goto(`${emulator.url}/signin`);
  await signIn(page, { mfa: false });
  await identityButton(page).filter({ hasText: 'David @ ' }).waitFor();
  const alert = page.getByRole('alert').filter({ hasText: 'Could not switch' });
  await refusals.during(async () => {
    await switchTo(page, emulator.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
    await alert.waitFor();
  });
  await expectText(alert, /requires MFA at sign-in/);
  assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdDynamoDB');
  await expectText(identityButton(page), /^David @ example-corp/);
  await finish();
});

test('a wrong secret is refused by the signature check, and the form keeps the key id', async () => {
  const { page, finish, refusals } = await openOnEmulator();
  await page.goto(`${emulator.url}/signin`);
  const alert = page.getByRole('alert');
  await refusals.during(async () => {
    await signIn(page, { secret: 'not-the-right-secret', mfa: false });
    await alert.waitFor();
  });
  await expectText(alert, /SignatureDoesNotMatch/);
  assert.equal(await page.getByRole('textbox', { name: 'Access key ID' }).inputValue(), DAVID_KEY);
  assert.equal(await page.getByLabel('Secret access key').inputValue(), '', 'the secret is not kept');
  await finish();
});

test('an expired role session sends the console back to David with a notice', async () => {
  const { page, finish, refusals } = await openOnEmulator();
  await page.goto(`${emulator.url}/signin`);
  await signIn(page);
  await identityButton(page).filter({ hasText: 'David @ ' }).waitFor();
  await switchTo(page, emulator.url, { account: 'example-prod', role: 'AccessToProdDynamoDB' });
  await page.getByRole('banner').getByRole('button', { name: /^AccessToProdDynamoDB @ example-prod/ }).waitFor();
  const { session } = await storageOf(page);
  const tab = JSON.parse(session['crossrole.console.session.v1']);
  await emulator.expire(tab.role.session.credentials);

  await refusals.during(async () => {
    await page.goto(`${emulator.url}/dynamodb`);
    await page.getByText('Your role session has ended. You are back to David.').waitFor();
  });
  await page.getByRole('banner').getByRole('button', { name: /^David @ example-corp/ }).waitFor();
  await finish();
});

test('the IAM pages read the emulator alike: ProdAdmin sees the roles and a role link', async () => {
  const { page, finish } = await openOnEmulator();
  await page.goto(`${emulator.url}/signin`);
  await fillKeySignIn(page, {
    accessKeyId: 'AKIAEXAMPLEPRODADMIN',
    secretAccessKey: 'Pr0dAdm1nSecretKeyExample/ForDemoOnly000',
  });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: /^ProdAdmin/ }).waitFor();
  await page.goto(`${emulator.url}/iam`);
  const table = page.getByRole('table', { name: 'Roles' });
  await expectText(table.getByRole('row', { name: /AccessToProdDynamoDB/ }), /111111111111.*Yes/);
  await table.getByRole('link', { name: 'ProdOperator' }).click();
  await page.getByRole('heading', { name: 'ProdOperator' }).waitFor();
  await expectText(page.locator('dl'), /arn:aws:iam::222222222222:role\/ops\/ProdOperator.*ProdOperatorBoundary/s);
  await expectText(page.getByRole('list', { name: 'Attached policies' }), /AmazonDynamoDBReadOnlyAccess/);
  assert.equal(
    await page.getByRole('textbox', { name: 'Switch role link' }).inputValue(),
    `${emulator.url}/switchrole?account=222222222222&roleName=ops%2FProdOperator`,
  );
  await finish();
});
