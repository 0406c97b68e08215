// The console's SigV4 signer proven against an independent verifier: moto's server with auth
// on (tests/aws/moto_server.py), behind a same-origin proxy as a platform team would host it.
// moto checks every signature with botocore's signer and evaluates the policies itself.
import { proxyTo } from './static-server.mjs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, fillKeySignIn, identityButton, openPage, provoked, siteWith, start, switchTo } from './harness.mjs';
import { spawnServer } from './emulator.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.VENV_PYTHON ?? resolve(here, '../../.venv-tests/bin/python');

let moto;
let motoServer;
let site;
let env;

before(async () => {
  motoServer = await spawnServer(PYTHON, [resolve(here, '../aws/moto_server.py')]);
  moto = motoServer.ready;
  site = await siteWith({ backend: 'sts', endpoint: '/', region: 'us-west-2' });
  env = await start(site.dir, { aws: proxyTo(() => moto.url) });
});
after(async () => {
  await env?.stop();
  await site?.remove();
  await motoServer?.stop();
});

/** A page on the proxy's origin; `refusals.during(...)` excuses the refusals a step provokes. */
async function openWithMoto() {
  const refusals = provoked(`${env.url}/`);
  const opened = await openPage(env, { expectedRefusals: refusals.excuse });
  return { ...opened, refusals };
}

async function signIn(page, key) {
  await page.goto(`${env.url}/signin`);
  await fillKeySignIn(page, key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('against moto: David signs in, switches, and reads GameScores with the role', async () => {
  const { page, finish } = await openWithMoto();
  await signIn(page, moto.users.David);
  await identityButton(page).filter({ hasText: `David @ ${moto.account}` }).waitFor();
  await switchTo(page, env.url, { account: moto.account, role: 'AccessToProdDynamoDB' });
  await page.getByRole('banner').getByRole('button', { name: new RegExp(`^AccessToProdDynamoDB @ ${moto.account}`) }).waitFor();
  await page.goto(`${env.url}/dynamodb?table=GameScores`);
  await page.getByRole('table').getByText('GameScores: 2 items').waitFor();
  assert.ok(await page.getByRole('cell', { name: 'Galaxy Invaders' }).isVisible());
  await finish();
});

test('against moto: Maria is refused, and a wrong secret fails moto\'s signature check', async () => {
  const { page, finish, refusals } = await openWithMoto();
  await signIn(page, moto.users.Maria);
  await identityButton(page).filter({ hasText: `Maria @ ${moto.account}` }).waitFor();
  const alert = page.getByRole('alert').filter({ hasText: 'Could not switch' });
  await refusals.during(async () => {
    await switchTo(page, env.url, { account: moto.account, role: 'AccessToProdDynamoDB' });
    await alert.waitFor();
  });
  await expectText(alert, /not authorized to perform: sts:AssumeRole/);
  await expectText(identityButton(page), /^Maria @ /);

  await identityButton(page).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  const refused = page.getByRole('alert');
  await refusals.during(async () => {
    await signIn(page, { accessKeyId: moto.users.David.accessKeyId, secretAccessKey: 'wrong-secret' });
    await refused.waitFor();
  });
  await expectText(refused, /SignatureDoesNotMatch/);
  await finish();
});
