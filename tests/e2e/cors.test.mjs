// The console served from one origin, the emulator on another (`--cors-origin`): the README's
// cross-origin set-up, end to end. The page's CSP names the emulator in connect-src, as the
// README says to. David signs in with MFA, switches and reads GameScores across origins; with
// the browser's clock an hour behind, the emulator refuses the time and the console corrects
// its clock from the answer's Date header, which CORS must expose for it to be readable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fillKeySignIn, freePort, identityButton, openPage, provoked, siteWith, start, switchTo } from './harness.mjs';
import { spawnServer, BINARY } from './emulator.mjs';
import { DAVID_SEED, freshCode } from './totp.mjs';

const usedSteps = new Set();
let emulator;
let site;
let env;

before(async () => {
  // The console's origin must be known before the emulator starts (--cors-origin), and the
  // emulator's before the console's config and CSP are written.
  const port = await freePort();
  emulator = await spawnServer(BINARY, ['--listen', '127.0.0.1:0', '--cors-origin', `http://127.0.0.1:${port}`]);
  const url = emulator.ready.url;
  site = await siteWith({ backend: 'sts', endpoint: `${url}/`, region: 'us-west-2', aliases: { 'example-corp': '111111111111', 'example-prod': '222222222222' } });
  const index = join(site.dir, 'index.html');
  const html = await readFile(index, 'utf8');
  assert.match(html, /connect-src 'self'/);
  await writeFile(index, html.replace("connect-src 'self'", `connect-src 'self' ${url}`));
  env = await start(site.dir, { port });
});
after(async () => {
  await env?.stop();
  await site?.remove();
  await emulator?.stop();
});

async function signIn(page) {
  await page.goto(`${env.url}/signin`);
  await fillKeySignIn(page, {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    mfaCode: await freshCode(DAVID_SEED, usedSteps),
  });
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('across origins: David signs in, switches and reads GameScores', async () => {
  const { page, finish } = await openPage(env);
  await signIn(page);
  await identityButton(page).filter({ hasText: 'David @ example-corp' }).waitFor();
  await switchTo(page, env.url, { account: 'example-prod', role: 'AccessToProdDynamoDB' });
  await page.getByRole('banner').getByRole('button', { name: /^AccessToProdDynamoDB @ example-prod/ }).waitFor();
  await page.goto(`${env.url}/dynamodb?table=GameScores`);
  await page.getByRole('table').getByText('GameScores: 4 items').waitFor();
  await finish();
});

test('across origins, a clock an hour behind is corrected from the exposed Date header', async () => {
  const refusals = provoked(`${emulator.ready.url}/`);
  const { page, finish } = await openPage(env, { expectedRefusals: refusals.excuse });
  await page.addInitScript(() => {
    const RealDate = Date;
    const offset = -3600_000;
    class BehindDate extends RealDate {
      constructor(...args) {
        super(...(args.length ? args : [RealDate.now() + offset]));
      }
      static now() {
        return RealDate.now() + offset;
      }
    }
    globalThis.Date = BehindDate;
  });
  await refusals.during(async () => {
    await signIn(page);
    await identityButton(page).filter({ hasText: 'David @ example-corp' }).waitFor();
  });
  // The first call was refused for its time; the console read Date across origins, retried,
  // and every call from then on carried the corrected time.
  const calls = emulator.log.filter((l) => l.includes('"kind":"aws"')).map((l) => JSON.parse(l));
  const first = calls.findIndex((c) => c.action === 'GetCallerIdentity' && c.error === 'SignatureDoesNotMatch');
  assert.ok(first >= 0, 'the skewed request was refused');
  assert.equal(calls[first + 1]?.status, 200, 'its retry was accepted');
  // (The navigation's IAM and CloudTrail probes are refused for want of permission, not for
  // their date.)
  const probe = (c) => (c.action === 'ListRoles' && c.error === 'AccessDenied')
    || (c.action === 'LookupEvents' && c.error === 'AccessDeniedException');
  const dated = calls.slice(first + 1).filter((c) => !probe(c));
  assert.ok(dated.every((c) => c.status === 200), 'later calls were dated right');
  await finish();
});
