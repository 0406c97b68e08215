// From the terminal to the console: the AWS CLI (a role_arn/source_profile profile, and
// `aws sts assume-role` with its source profile) gives a ProdOperator session, crossrole-login
// turns it into a sign-in URL, and Chromium opening it lands on the destination as the role,
// with no token in the address bar and none for the back button to replay. A reused link says
// so and offers the sign-in page; an off-site destination is refused, never followed; no token
// or secret reaches localStorage, a URL kept in the history, the browser console or the log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, expectText, identityButton, openMenu, openPage, provoked, siteWith, start } from './harness.mjs';
import { BINARY, startEmulator } from './emulator.mjs';
import { proxyTo } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AWS = process.env.AWS_CLI ?? resolve(here, '../../.venv-tests/bin/aws');
const LOGIN = process.env.LOGIN_BIN ?? join(dirname(BINARY), 'crossrole-login');
const OPERATOR = 'arn:aws:iam::222222222222:role/ops/ProdOperator';
const PROD_ADMIN = ['AKIAEXAMPLEPRODADMIN', 'Pr0dAdm1nSecretKeyExample/ForDemoOnly000'];

let browserEnv;
let emulator;
let home;
before(async () => {
  browserEnv = await start();
  emulator = await startEmulator([]);
  home = mkdtempSync(join(tmpdir(), 'crossrole-federation-'));
  writeFileSync(join(home, 'credentials'), `[prodadmin]\naws_access_key_id = ${PROD_ADMIN[0]}\naws_secret_access_key = ${PROD_ADMIN[1]}\n`);
  writeFileSync(join(home, 'config'),
    `[profile prodadmin]\nregion = us-west-2\n[profile operator]\nrole_arn = ${OPERATOR}\nsource_profile = prodadmin\nregion = us-west-2\n`);
});
after(async () => {
  await browserEnv?.stop();
  await emulator?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The terminal's environment: only the AWS CLI's files and the emulator as its endpoint. */
function terminal(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ENDPOINT_URL: emulator.url,
    ...extra,
  };
}

/** ProdOperator's credentials, as the AWS CLI gives them. */
function assumeRole() {
  const out = execFileSync(AWS, ['sts', 'assume-role', '--profile', 'prodadmin', '--role-arn', OPERATOR,
    '--role-session-name', 'terminal', '--output', 'json'], { env: terminal(), encoding: 'utf8' });
  return JSON.parse(out).Credentials;
}

/** The login command's URL for `creds` (`extra`: more of its arguments). */
function loginUrl(creds, destination, extra = []) {
  return execFileSync(LOGIN, ['--destination', destination, ...extra], {
    env: terminal({
      AWS_ACCESS_KEY_ID: creds.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
      AWS_SESSION_TOKEN: creds.SessionToken,
    }),
    encoding: 'utf8',
  }).trim();
}

test('a terminal session opens the console as the role, and the token stays out of the address bar and history', async () => {
  // The profile with role_arn works against the emulator as it would against AWS.
  const who = JSON.parse(execFileSync(AWS, ['sts', 'get-caller-identity', '--profile', 'operator', '--output', 'json'],
    { env: terminal(), encoding: 'utf8' }));
  assert.match(who.Arn, /^arn:aws:sts::222222222222:assumed-role\/ProdOperator\//);

  const creds = assumeRole();
  const url = loginUrl(creds, '/dynamodb?table=GameScores');
  const token = new URL(url).searchParams.get('SigninToken');
  assert.ok(token && token.length >= 32, url);
  for (const secret of [creds.SecretAccessKey, creds.SessionToken]) assert.ok(!url.includes(secret));

  const refusals = provoked(`${emulator.url}/federation`);
  const { page, finish } = await openPage(browserEnv, { expectedRefusals: refusals.excuse });
  await page.goto(`${emulator.url}/`);
  await page.getByRole('heading', { name: 'Console Home' }).waitFor();
  await page.goto(url);
  await page.waitForURL((u) => u.pathname === '/dynamodb' && u.searchParams.get('table') === 'GameScores');
  await expectText(identityButton(page), /^ProdOperator @ 222222222222/);
  await page.getByRole('table').getByText('GameScores: 4 items').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'federation-landed.png') });
  assert.ok(!page.url().includes(token) && !page.url().includes('#'), page.url());

  // No user behind the role: no "Back to", and Sign out.
  const menu = await openMenu(page);
  assert.ok((await menu.textContent()).includes('Signed in from a link'));
  assert.equal(await menu.getByRole('menuitem', { name: /^Back to/ }).count(), 0);
  assert.equal(await menu.getByRole('menuitem', { name: 'Sign out' }).count(), 1);
  await page.keyboard.press('Escape');

  // Back goes where the person was before the link; forward returns to the destination. The
  // landing page (and its token) is in neither.
  await page.goBack();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('heading', { name: 'Console Home' }).waitFor();
  await expectText(identityButton(page), /^ProdOperator/);
  await page.goForward();
  await page.waitForURL((u) => u.pathname === '/dynamodb');
  const history = await page.evaluate(() => history.length);
  assert.equal(history, 3, 'about:blank, home, the destination: nothing else');

  // The link works once: opening it again says so, and offers the sign-in page.
  const printed = [];
  page.on('console', (msg) => printed.push(msg.text()));
  await page.goto(url);
  await page.waitForURL((u) => u.pathname === '/federated-signin');
  const alert = page.getByRole('alert');
  await expectText(alert, /already used/);
  assert.ok(!page.url().includes(token), page.url());
  await page.getByRole('link', { name: 'Go to the sign-in page' }).waitFor();

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(token), 'localStorage holds no sign-in token');
  assert.ok(!printed.some((line) => line.includes(token)), 'the browser console prints no sign-in token');
  await finish();
  const log = emulator.log.join('\n');
  for (const secret of [token, creds.SecretAccessKey, creds.SessionToken]) {
    assert.ok(!log.includes(secret), 'the emulator logs no token or secret');
  }
});

test('an off-site destination is refused, never followed', async () => {
  const creds = assumeRole();
  const url = loginUrl(creds, '/');
  const offSite = url.replace('Destination=%2F', `Destination=${encodeURIComponent('https://evil.example/')}`);
  const refusals = provoked(offSite);
  // A page that is not the console's (the refusal's JSON) makes Chromium ask for a favicon.
  const favicon = `${emulator.url}/favicon.ico`;
  const { page, finish } = await openPage(browserEnv, { expectedRefusals: (u) => refusals.excuse(u) || u === favicon });
  const response = await refusals.during(() => page.goto(offSite));
  assert.equal(response.status(), 400);
  assert.equal(new URL(page.url()).origin, new URL(emulator.url).origin);
  assert.match(await page.textContent('body'), /InvalidDestination/);
  await finish();
});

test('behind the README\'s same-origin proxy, a sign-in link lands the same way', async () => {
  const site = await siteWith({ backend: 'sts', endpoint: '/', region: 'us-west-2' });
  const proxied = await start(site.dir, { aws: proxyTo(() => emulator.url) });
  try {
    const url = loginUrl(assumeRole(), '/dynamodb?table=GameScores', ['--console-url', proxied.url]);
    assert.ok(url.startsWith(`${proxied.url}/federation?`), url);
    const { page, finish } = await openPage(proxied);
    await page.goto(url);
    await page.waitForURL((u) => u.origin === proxied.url && u.pathname === '/dynamodb');
    await expectText(identityButton(page), /^ProdOperator @ 222222222222/);
    await page.getByRole('table').getByText('GameScores: 4 items').waitFor();
    await finish();
  } finally {
    await proxied.stop();
    await site.remove();
  }
});
