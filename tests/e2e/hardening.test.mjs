// Hardening in the browser, on the in-browser mock: script injection through predefined links
// and display names, off-site redirects after sign-in, storage that is full or refuses access,
// corrupt sessionStorage, the Demo accounts panel, and a missing config.json. Each checks what
// the person sees and that the page stays whole (no dialog, no injected element or handler,
// no CSP violation, no uncaught exception).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expectText, identityButton, loaded, openMenu, openPage, siteWith, start, switchTo } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Records CSP violations and injected side effects in the page, before any script runs. */
async function guard(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    async check(label) {
      const found = await page.evaluate(() => ({
        xss: window.__xss ?? null,
        csp: window.__csp,
        // Elements only an injection would add, and inline handlers anywhere.
        injected: [...document.querySelectorAll('body script, img, svg, iframe, object, embed, a[href^="javascript"]')].map((e) => e.outerHTML),
        handlers: [...document.querySelectorAll('body *')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
      }));
      assert.deepEqual(dialogs, [], `${label}: no dialog`);
      assert.equal(found.xss, null, `${label}: no injected script ran`);
      assert.deepEqual(found.csp, [], `${label}: no CSP violation`);
      assert.deepEqual(found.injected, [], `${label}: no injected element`);
      assert.deepEqual(found.handlers, [], `${label}: no inline handler`);
    },
  };
}

// From the OWASP XSS Filter Evasion Cheat Sheet, adapted to set window.__xss.
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1">',
  "'';!--\"<XSS>=&{()}",
  '<svg/onload=window.__xss=1>',
  '<IMG SRC=JaVaScRiPt:window.__xss=1>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  'javascript:window.__xss=1',
  '%3Cscript%3Ewindow.__xss=1%3C/script%3E',
  '<a href="javascript:window.__xss=1">x</a>',
  '<BODY ONLOAD=window.__xss=1>',
  '<<SCRIPT>window.__xss=1;//<</SCRIPT>',
];

async function signIn(page, { user = 'David', password = 'david-Pa55word!', mfa = true } = {}) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('textbox', { name: 'MFA code' }).fill(mfa ? totp(DAVID_SEED) : '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: `${user} @ example-corp` }).waitFor();
}

test('predefined links carrying script payloads show text or a field error, never run', async () => {
  const { page, finish } = await openPage(env);
  const g = await guard(page);
  await page.goto(`${env.url}/signin`);
  await signIn(page);
  await page.goto(`${env.url}/switchrole`);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  for (const p of PAYLOADS) {
    const q = new URLSearchParams({ account: p, roleName: p, displayName: p, color: p });
    await page.goto(`${env.url}/switchrole?${q}`);
    await page.getByRole('textbox', { name: 'Account' }).waitFor();
    // Shown literally in the fields (as typed text), refused with a message where invalid.
    assert.equal(await page.getByRole('textbox', { name: 'Account' }).inputValue(), p);
    assert.equal(await page.getByRole('textbox', { name: 'Role' }).inputValue(), p);
    await g.check(p);
  }
  await finish();
});

test('a display name that looks like markup is shown as text in the banner and history', async () => {
  const { page, finish } = await openPage(env);
  const g = await guard(page);
  await page.goto(`${env.url}/signin`);
  await signIn(page);
  const name = '<img src=x onerror=window.__xss=1>';
  await page.goto(`${env.url}/switchrole`);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('textbox', { name: 'Account' }).fill('222222222222');
  await page.getByRole('textbox', { name: 'Role' }).fill('AccessToProdDynamoDB');
  await page.getByRole('textbox', { name: 'Display Name' }).fill(name);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('banner').getByRole('button', { name: name }).waitFor();
  assert.ok((await identityButton(page).textContent()).startsWith(name), 'the text itself');
  const menu = await openMenu(page);
  assert.ok((await menu.textContent()).includes(name));
  await page.keyboard.press('Escape');
  await g.check('display name');
  await finish();
});

test('after sign-in, a next= pointing off-site is ignored', async () => {
  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:window.__xss=1', '%2F%2Fevil.example']) {
    const { page, finish } = await openPage(env);
    const g = await guard(page);
    await page.goto(`${env.url}/signin?next=${encodeURIComponent(next)}`);
    // Maria: no MFA, so each fresh page signs in without reusing a code.
    await signIn(page, { user: 'Maria', password: 'maria-Pa55word!', mfa: false });
    // Where sign-in leads: home on this origin. Waiting for it resolves at once when it holds;
    // when it does not, the assertions below say where the page went instead.
    await page.waitForURL((u) => u.origin === env.url && u.pathname === '/').catch(() => {});
    const url = new URL(page.url());
    assert.equal(url.origin, env.url, `${next}: stays on the console's origin`);
    assert.equal(url.pathname, '/', `${next}: goes home instead`);
    await g.check(next);
    await finish();
  }
});

/** Fills the origin's localStorage to the last byte (a real QuotaExceededError follows). */
function fillStorage(page) {
  return page.evaluate(() => {
    let i = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      const chunk = 'x'.repeat(size);
      try {
        for (;;) localStorage.setItem(`filler.${i++}`, chunk);
      } catch {
        // Full at this size: try smaller pieces.
      }
    }
  });
}

function emptyFiller(page) {
  return page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler.')) localStorage.removeItem(k);
  });
}

test('a full localStorage: the switch works, the reason is shown, and the history recovers', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/signin`);
  await signIn(page);
  await fillStorage(page);
  await switchTo(page, env.url, { account: '222222222222', role: 'AccessToProdDynamoDB' });
  await page.getByRole('banner').getByRole('button', { name: /^AccessToProdDynamoDB/ }).waitFor();
  const notice = page.getByRole('alert').filter({ hasText: 'Role history could not be saved' });
  await notice.waitFor();
  await expectText(notice, /QuotaExceededError/);
  // The session and the in-memory history are kept.
  let menu = await openMenu(page);
  assert.ok(await menu.getByRole('menuitem', { name: 'Back to David' }).isVisible());
  await expectText(menu, /AccessToProdDynamoDB/);
  await menu.getByRole('menuitem', { name: 'Back to David' }).click();
  await identityButton(page).filter({ hasText: 'David @ example-corp' }).waitFor();

  // The fault clears: the next switch (in the same page: a reload would start from the store)
  // stores both entries.
  await emptyFiller(page);
  await (await openMenu(page)).getByRole('menuitem', { name: 'Switch role' }).click();
  await page.getByRole('textbox', { name: 'Account' }).fill('111111111111');
  await page.getByRole('textbox', { name: 'Role' }).fill('SensitiveDataAccess');
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^SensitiveDataAccess/ }).waitFor();
  const stored = await page.evaluate(() => localStorage.getItem('crossrole.history.v1'));
  assert.match(stored, /SensitiveDataAccess/);
  assert.match(stored, /AccessToProdDynamoDB/, 'the entry recorded while full is kept');
  menu = await openMenu(page);
  await expectText(menu, /AccessToProdDynamoDB/);
  await page.keyboard.press('Escape');
  await finish();
});

test('localStorage that refuses access: a clear notice, and the console still works', async () => {
  const { page, finish } = await openPage(env);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  await page.goto(`${env.url}/signin`);
  const notice = page.getByRole('alert').filter({ hasText: 'Role history is not available' });
  await notice.waitFor();
  await expectText(notice, /SecurityError/);
  await signIn(page, { user: 'Maria', password: 'maria-Pa55word!', mfa: false });
  await finish();
});

test('corrupt sessionStorage (console and mock sessions) starts signed out, without errors', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/`);
  await loaded(page);
  await page.evaluate(() => {
    sessionStorage.setItem('crossrole.console.session.v1', '{"base": {"user": 3');
    sessionStorage.setItem('crossrole.mock.sessions.v1', 'not json at all');
  });
  await page.reload();
  await loaded(page);
  await expectText(identityButton(page), /^Not signed in/);
  await page.goto(`${env.url}/signin`);
  await signIn(page, { user: 'Maria', password: 'maria-Pa55word!', mfa: false });
  const stored = await page.evaluate(() => sessionStorage.getItem('crossrole.console.session.v1'));
  assert.doesNotThrow(() => JSON.parse(stored), 'the corrupt value was replaced');
  await finish();
});

test('the Demo accounts panel fills the form with Use', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/signin`);
  await page.getByRole('button', { name: /^Use Maria @ / }).click();
  assert.equal(await page.getByRole('textbox', { name: 'IAM user name' }).inputValue(), 'Maria');
  assert.equal(await page.getByLabel('Password').inputValue(), 'maria-Pa55word!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await identityButton(page).filter({ hasText: /^Maria @ / }).waitFor();
  await finish();
});

test('without a config.json the console runs the mock', async () => {
  const site = await siteWith({ backend: 'mock' });
  await rm(join(site.dir, 'config.json'));
  const local = await start(site.dir);
  try {
    // The missing file itself is the one expected 404.
    const { page, finish } = await openPage(local, { expectedRefusals: (url) => url === `${local.url}/config.json` });
    await page.goto(`${local.url}/signin`);
    await page.getByRole('heading', { name: 'Demo accounts' }).waitFor();
    await finish();
  } finally {
    await local.stop();
    await site.remove();
  }
});

test('a signed-in page keeps no password: signing out where the form was shows it empty', async () => {
  const { page, finish } = await openPage(env);
  // next=/signin keeps the same sign-in page (and its form's state) alive across the sign-in.
  await page.goto(`${env.url}/signin?next=%2Fsignin`);
  await signIn(page, { user: 'Maria', password: 'maria-Pa55word!', mfa: false });
  await (await openMenu(page)).getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'IAM user name' }).inputValue(), 'Maria', 'the same form');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password was cleared once signed in');
  await finish();
});
