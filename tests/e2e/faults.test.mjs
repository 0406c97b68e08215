// The STS backend when the endpoint misbehaves: it hangs (Cancel, then the timeout), answers
// HTTP 500, answers something that is not XML, drops the connection, or refuses the request's
// time. Each is a clear message in an alert; the form keeps what was typed and a signed-in
// session is kept. The endpoint here is a fake on the console's own origin that answers as
// told; the real protocol is tested against the emulator and moto.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, fillKeySignIn, identityButton, openPage, siteWith, start, switchTo } from './harness.mjs';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const STS = 'https://sts.amazonaws.com/doc/2011-06-15/';

let site;
let env;
/** How the fake answers the next calls, and what it was asked. */
let mode = 'ok';
let calls = [];
/** The fake endpoint's clock runs this far ahead of the real one (ms) in the skew modes. */
const AHEAD = 3600_000;
/** Resolves when the fake sees call `i`'s connection closed by the browser. */
const closedCall = (i) => calls[i].closed;

/** An X-Amz-Date (yyyymmddThhmmssZ) as milliseconds since the epoch. */
function amzMillis(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function xml(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/xml' });
  res.end(body);
}

/** The alias ListAccountAliases answers with (null: it answers nothing usable). */
let alias = null;

/** Well-formed STS answers for a signed-in David (the fake checks no signature). */
function answer(action, res) {
  const meta = '<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>';
  if (action === 'ListAccountAliases' && alias) {
    return xml(res, 200, `<ListAccountAliasesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListAccountAliasesResult><AccountAliases><member>${alias}</member></AccountAliases><IsTruncated>false</IsTruncated></ListAccountAliasesResult>${meta}</ListAccountAliasesResponse>`);
  }
  if (action === 'GetCallerIdentity') {
    return xml(res, 200, `<GetCallerIdentityResponse xmlns="${STS}"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/David</Arn><UserId>AIDAFAKE</UserId><Account>111111111111</Account></GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`);
  }
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const creds = `<Credentials><AccessKeyId>ASIAFAKEFAKEFAKE0001</AccessKeyId><SecretAccessKey>fakeSecret</SecretAccessKey><SessionToken>fakeToken</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
  return xml(res, 200, `<${action}Response xmlns="${STS}"><${action}Result>${creds}</${action}Result>${meta}</${action}Response>`);
}

function fake(req, res) {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const action = new URLSearchParams(body).get('Action');
    if (action === 'ListRoles') {
      // The navigation's IAM probe: refused, as for anyone without IAM permissions, and not
      // one of the calls these tests count.
      res.writeHead(403, { 'Content-Type': 'text/xml' });
      res.end(`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed iam:ListRoles</Message></Error><RequestId>fake</RequestId></ErrorResponse>`);
      return;
    }
    if ((req.headers['x-amz-target'] ?? '').endsWith('.LookupEvents')) {
      // The navigation's CloudTrail probe: refused likewise, and not counted either.
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed cloudtrail:LookupEvents' }));
      return;
    }
    const call = { action, amzDate: req.headers['x-amz-date'], signed: /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? '') };
    // Whether the browser really gave up on the request (Cancel, timeout): the socket closes
    // before any answer was written.
    call.closed = new Promise((ok) => res.on('close', () => ok(!res.writableEnded)));
    calls.push(call);
    const fakeNow = Date.now() + AHEAD;
    const refuseClock = () => {
      res.writeHead(403, { 'Content-Type': 'text/xml', Date: new Date(fakeNow).toUTCString() });
      res.end(`<ErrorResponse xmlns="${STS}"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: ${call.amzDate} is now earlier than 20260101T000000Z (20260101T001500Z - 15 min.)</Message></Error><RequestId>fake</RequestId></ErrorResponse>`);
    };
    switch (mode) {
      case 'ok':
        return answer(action, res);
      case 'hang':
        return; // never answers
      case '500':
        return xml(res, 500, 'Internal Server Error');
      case 'garbage':
        return xml(res, 200, '<GetCallerIdentityResponse><Arn>');
      case 'drop':
        return req.socket.destroy();
      case 'skew':
        // A clock an hour ahead that refuses every request.
        return refuseClock();
      case 'skew-once':
        // A clock an hour ahead: requests dated within 5 minutes of it are accepted.
        return Math.abs(amzMillis(call.amzDate) - fakeNow) < 300_000 ? answer(action, res) : refuseClock();
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  });
}

before(async () => {
  site = await siteWith({ backend: 'sts', endpoint: '/', region: 'us-west-2', timeoutSeconds: 2 });
  env = await start(site.dir, { aws: fake });
});
after(async () => {
  await env?.stop();
  await site?.remove();
});
beforeEach(() => {
  mode = 'ok';
  calls = [];
  alias = null;
});

/** A page whose only excused refusals are the fake's, while it is told to misbehave. */
function openWithFake() {
  return openPage(env, { expectedRefusals: (url) => url === `${env.url}/` && mode !== 'ok' });
}

async function fillSignIn(page) {
  await page.goto(`${env.url}/signin`);
  await fillKeySignIn(page, { accessKeyId: KEY, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
}

async function signInAnswers(page, expected) {
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  await expectText(alert, expected);
  assert.equal(await page.getByRole('textbox', { name: 'Access key ID' }).inputValue(), KEY, 'the key id is kept');
  await expectText(identityButton(page), /^Not signed in/);
}

test('a hanging endpoint: Cancel abandons the call, and the timeout ends it', async () => {
  const { page, finish } = await openWithFake();
  mode = 'hang';
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Signing in…' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alert').filter({ hasText: 'Cancelled.' }).waitFor();
  assert.equal(await closedCall(0), true, 'Cancel really closed the request');
  assert.equal(await page.getByRole('button', { name: 'Cancel' }).count(), 0, 'Cancel shows only while waiting');
  assert.equal(await page.getByRole('textbox', { name: 'Access key ID' }).inputValue(), KEY, 'the form is kept');

  await page.getByLabel('Secret access key').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const timedOut = page.getByRole('alert').filter({ hasText: 'did not answer within 2 seconds' });
  await timedOut.waitFor();
  assert.equal(await closedCall(1), true, 'the timeout really closed the request');
  assert.equal(calls.length, 2);
  assert.ok(calls.every((c) => c.signed), 'every call is SigV4-signed');
  assert.equal(await page.getByRole('textbox', { name: 'Access key ID' }).inputValue(), KEY, 'the form is kept');
  await finish();
});

test('HTTP 500, an unreadable answer and a dropped connection are each named', async () => {
  const { page, finish } = await openWithFake();
  mode = '500';
  await signInAnswers(page, /could not be reached: the endpoint answered HTTP 500/);
  mode = 'garbage';
  await signInAnswers(page, /answer could not be read/);
  mode = 'drop';
  await signInAnswers(page, /could not be reached/);
  await finish();
});

test('a refused clock is retried once with the endpoint\'s time, then explained', async () => {
  const { page, finish } = await openWithFake();
  mode = 'skew';
  await signInAnswers(page, /clock differs from the backend's by more than 15 minutes/);
  assert.equal(calls.length, 2, 'one retry');
  const moved = amzMillis(calls[1].amzDate) - amzMillis(calls[0].amzDate);
  assert.ok(Math.abs(moved - AHEAD) < 60_000, `the retry is dated by the endpoint's clock (moved ${moved} ms)`);
  await finish();
});

test('a clock an hour behind the endpoint\'s is corrected, and the sign-in succeeds', async () => {
  const { page, finish } = await openWithFake();
  mode = 'skew-once';
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: 'David @ 111111111111' }).waitFor();
  // The first call was refused; its retry and every later call carry the corrected time.
  assert.ok(calls.length >= 3, `${calls.length} calls`);
  for (const c of calls.slice(1)) {
    assert.ok(Math.abs(amzMillis(c.amzDate) - (Date.now() + AHEAD)) < 120_000, `${c.action} is dated by the endpoint's clock`);
  }
  mode = 'ok';
  await finish();
});

test('Cancel while switching closes the request and keeps the session and the form', async () => {
  const { page, finish } = await openWithFake();
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: 'David @ 111111111111' }).waitFor();
  mode = 'hang';
  const before = calls.length;
  await switchTo(page, env.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await closedCall(before), true, 'the AssumeRole request was closed');
  await page.getByRole('alert').filter({ hasText: 'Cancelled.' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdDynamoDB');
  await expectText(identityButton(page), /^David @ 111111111111/);
  await finish();
});

test('a failing switch keeps the signed-in session and the form', async () => {
  const { page, finish } = await openWithFake();
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: 'David @ 111111111111' }).waitFor();
  assert.deepEqual(calls.map((c) => c.action), ['GetCallerIdentity', 'GetSessionToken', 'ListAccountAliases']);

  mode = '500';
  await switchTo(page, env.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
  const alert = page.getByRole('alert').filter({ hasText: 'Could not switch' });
  await alert.waitFor();
  await expectText(alert, /HTTP 500/);
  assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), 'AccessToProdDynamoDB');
  await expectText(identityButton(page), /^David @ 111111111111/);

  // An alias the configuration does not know cannot become an account id.
  mode = 'ok';
  const before = calls.length;
  await switchTo(page, env.url, { account: 'example-prod', role: 'AccessToProdDynamoDB' });
  await page.getByRole('alert').filter({ hasText: 'no account has that ID or alias' }).waitFor();
  assert.equal(calls.length, before, 'nothing is sent for an unknown alias');
  await finish();
});

test('without configured aliases, the account is named by IAM ListAccountAliases', async () => {
  const { page, finish } = await openWithFake();
  alias = 'fake-corp';
  await fillSignIn(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: 'David @ fake-corp' }).waitFor();
  assert.deepEqual(calls.map((c) => c.action), ['GetCallerIdentity', 'GetSessionToken', 'ListAccountAliases']);
  await finish();
});
