// By keyboard and screen reader: sign in, switch from a predefined link, switch in the command
// palette, Back — with the focus, the document's title and the live region's announcement
// checked at each step (WCAG 2.4.1 bypass blocks, 2.4.2 page titled, 2.4.3 focus order,
// 4.1.3 status messages; Cloudscape moves the focus to the page heading on navigation).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREDEFINED_LINK, openPage, signInDavid, start } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});


/** The focused element: its tag and text. */
const focused = (page) => page.evaluate(() => ({
  tag: document.activeElement?.tagName.toLowerCase(),
  text: document.activeElement?.textContent.trim(),
}));

/** Waits until the polite live region says `text`. */
async function announced(page, text) {
  await page.waitForFunction((text) => document.getElementById('announcer')?.textContent === text, text);
  assert.equal(await page.locator('#announcer').getAttribute('aria-live'), 'polite');
}

/** Waits until the focus is on the page's heading `name`, and the title names it and `who`. */
async function onHeading(page, name, who) {
  await page.waitForFunction((name) => {
    const a = document.activeElement;
    return a?.tagName === 'H1' && a.textContent.trim() === name;
  }, name);
  assert.equal(await page.title(), `${name} · ${who} · crossrole`);
}

test('keyboard only: sign in, switch from a link, switch in the palette and go Back, told at each step', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/signin`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  assert.equal(await page.title(), 'Sign in · crossrole');

  // The first tab stop skips the banner.
  await page.keyboard.press('Tab');
  assert.deepEqual(await focused(page), { tag: 'a', text: 'Skip to main content' });
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).tag, 'main');

  // Sign in: typed, submitted with Enter.
  await page.keyboard.press('Tab');
  await page.keyboard.type('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).focus();
  await page.keyboard.type('David');
  await page.getByLabel('Password').focus();
  await page.keyboard.type('david-Pa55word!');
  await page.getByRole('textbox', { name: 'MFA code' }).focus();
  await page.keyboard.type(totp(DAVID_SEED));
  await page.keyboard.press('Enter');
  await onHeading(page, 'Console Home', 'David');
  await announced(page, 'Signed in as David in account 1111-1111-1111.');

  // A predefined link: the form is prefilled; Enter on Switch Role switches and goes home.
  await page.goto(`${env.url}${PREDEFINED_LINK}`);
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) {
    await go.focus();
    await page.keyboard.press('Enter');
    // The first-run page gives way to the form: its heading takes the focus.
    await onHeading(page, 'Switch Role', 'David');
  }
  await page.getByRole('button', { name: 'Switch Role' }).focus();
  await page.keyboard.press('Enter');
  await onHeading(page, 'Console Home', 'PRODUCTION');
  await announced(page, 'Now acting as PRODUCTION: role AccessToProdDynamoDB in account 2222-2222-2222.');

  // The palette: Back to David is the first option while in a role.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Switch role' });
  await palette.waitFor();
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
  await announced(page, 'Back to David in account 1111-1111-1111.');
  assert.equal(await page.title(), 'Console Home · David · crossrole');

  // The palette again: PRODUCTION from the history.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await page.keyboard.type('PRODUCTION');
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
  await announced(page, 'Now acting as PRODUCTION: role AccessToProdDynamoDB in account 2222-2222-2222.');
  assert.equal(await page.title(), 'Console Home · PRODUCTION · crossrole');

  // Back from the Identity menu, by keyboard.
  await page.getByRole('banner').locator('button[aria-haspopup="menu"]').focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await menu.waitFor();
  // The history is a group a screen reader names as the focus enters it.
  const history = menu.getByRole('group', { name: 'Role history' });
  assert.equal(await history.getByRole('menuitem', { name: 'PRODUCTION' }).count(), 1);
  await menu.getByRole('menuitem', { name: 'Back to David' }).focus();
  await page.keyboard.press('Enter');
  await announced(page, 'Back to David in account 1111-1111-1111.');
  assert.equal(await page.title(), 'Console Home · David · crossrole');
  await finish();
});

test('the command palette: a visible control with its shortcut, an empty state that says how to add roles, and Tab stays inside', async () => {
  const { page, finish } = await openPage(env);
  await signInDavid(page, env.url);
  const button = page.getByRole('navigation', { name: 'Services' }).getByRole('button', { name: 'Search roles Ctrl+K' });
  assert.equal(await button.getAttribute('aria-keyshortcuts'), 'Control+K Meta+K');
  await button.focus();
  await page.keyboard.press('Enter');
  const palette = page.getByRole('dialog', { name: 'Switch role' });
  await palette.waitFor();
  assert.match(await palette.getByRole('status').textContent(), /^No roles yet\. Switch once from Switch Role .* or import your ~\/\.aws\/config in the Role catalog\.$/);
  // A modal dialog: Tab and Shift+Tab stay in it (WCAG 2.4.3; the focus used to leave it).
  for (const key of ['Tab', 'Shift+Tab', 'Tab']) {
    await page.keyboard.press(key);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'combobox', `${key} stays in the dialog`);
  }
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  // The focus goes back to the control that opened it.
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'navbar-search');
  await finish();
});
