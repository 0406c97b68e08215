// axe-core (the engine behind most accessibility checkers) on the console's page states, in
// the release build, in the system's light and dark modes: WCAG 2.1 A and AA rules, no
// violation of any impact: 27 states in each (10 of a switch, 17 of every other page).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PREDEFINED_LINK, identityButton, openPage, signInDavid, signInWithPassword, start } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** axe's violations on the page as it is now, one line each (rule, impact, where). */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline
  // script) does not apply to it.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

for (const colorScheme of ['light', 'dark']) test(`axe finds no WCAG 2.1 AA violation on the states of a switch, ${colorScheme}`, async () => {
  const { page, finish } = await openPage(env, { colorScheme });
  const states = {};
  await page.goto(`${env.url}/signin`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  // The page is in the mode asked for (the stylesheet's page background of each).
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, colorScheme === 'dark' ? 'rgb(15, 27, 42)' : 'rgb(242, 243, 243)');
  states['sign-in'] = await violations(page);
  await signInDavid(page, env.url);
  states['home, signed in'] = await violations(page);
  await identityButton(page).click();
  await page.getByRole('menu').waitFor();
  states['the Identity menu, open'] = await violations(page);
  await page.keyboard.press('Escape');
  // With a colour: the role's colour is in the banner, the menu and the history, in both
  // themes.
  await page.goto(`${env.url}${PREDEFINED_LINK}&color=f2b0a9`);
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  states['Switch Role, first run'] = await violations(page);
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await go.click();
  await page.getByRole('textbox', { name: 'Account' }).waitFor();
  states['Switch Role, the form from a predefined link'] = await violations(page);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await identityButton(page).filter({ hasText: 'PRODUCTION' }).waitFor();
  states['home, in a role'] = await violations(page);
  await identityButton(page).click();
  await page.getByRole('menu').waitFor();
  states['the Identity menu in a role, with the history'] = await violations(page);
  await page.keyboard.press('Escape');
  await page.goto(`${env.url}/dynamodb?table=GameScores`);
  await page.getByRole('table').getByText('GameScores: ').waitFor();
  states['DynamoDB: a table read in the role'] = await violations(page);
  // The table shown is the current one in the list (aria-current), the others not.
  const tables = page.getByRole('list', { name: 'Tables' });
  assert.equal(await tables.getByRole('link', { name: 'GameScores' }).getAttribute('aria-current'), 'page');
  assert.equal(await tables.getByRole('link', { name: 'Players' }).getAttribute('aria-current'), null);
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Switch role' }).waitFor();
  states['the command palette, open'] = await violations(page);
  await page.keyboard.type('prod');
  states['the command palette, filtered'] = await violations(page);
  await page.keyboard.press('Escape');
  const failing = Object.entries(states).filter(([, v]) => v.length);
  assert.deepEqual(failing, [], 'no violations');
  await finish();
});

for (const colorScheme of ['light', 'dark']) test(`axe finds no WCAG 2.1 AA violation on every other page, ${colorScheme}`, async () => {
  const { page, finish } = await openPage(env, { colorScheme });
  const states = {};
  const visit = async (path, heading) => {
    await page.goto(`${env.url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  await visit('/', 'Console Home');
  states['home, signed out'] = await violations(page);
  await visit('/nowhere', 'Page not found');
  states['not found'] = await violations(page);
  await visit('/federated-signin#error=UsedSigninToken', 'Signing in from a link');
  await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();
  states['a sign-in link already used'] = await violations(page);
  await visit('/signin', 'Sign in');
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).fill('David');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('main').getByRole('alert').waitFor();
  states['sign-in refused'] = await violations(page);
  await signInDavid(page, env.url);
  await visit('/catalog', 'Role catalog');
  // Entries in colour (AESR's `color`), in both themes.
  await page.getByRole('textbox', { name: 'Configuration' }).fill(
    '[prod]\naws_account_id = 222222222222\nrole_name = AccessToProdDynamoDB\ncolor = f2b0a9\n[ops]\naws_account_id = 222222222222\nrole_name = ops/ProdOperator\ncolor = 83d4e8\n',
  );
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('list', { name: 'Roles in the catalog' }).getByRole('listitem').nth(1).waitFor();
  states['the role catalog'] = await violations(page);
  await visit('/dynamodb', 'DynamoDB tables');
  states['DynamoDB, the tables'] = await violations(page);
  // A refused switch: the alert with its reason and next step.
  await visit('/switchrole?account=222222222222&roleName=accesstoproddynamodb', 'Switch Role');
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.getByRole('alert').filter({ hasText: 'Could not switch' }).waitFor();
  states['Switch Role, refused'] = await violations(page);

  // The administrator's pages, as ProdAdmin.
  await identityButton(page).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await signInWithPassword(page, env.url, { account: '222222222222', user: 'ProdAdmin', password: 'prodadmin-Pa55word!' });
  await visit('/iam', 'Roles');
  states['IAM: Roles'] = await violations(page);
  await visit('/iam/role?name=AccessToProdDynamoDB', 'AccessToProdDynamoDB');
  states['IAM: a role'] = await violations(page);
  await page.getByRole('button', { name: 'Export as Terraform' }).click();
  await page.getByRole('button', { name: 'Copy Terraform' }).click();
  await page.locator('#code-export').getByRole('status').filter({ hasText: /\S/ }).waitFor();
  states['IAM: a role exported as Terraform, copied'] = await violations(page);
  await visit('/iam/create', 'Create role');
  states['Create role, step 1'] = await violations(page);
  await page.getByRole('textbox', { name: 'Role name' }).fill('AxeCheck');
  await page.getByRole('textbox', { name: 'Trusted account ID' }).fill('111111111111');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Step 2 of 3: Permissions' }).waitFor();
  states['Create role, step 2'] = await violations(page);
  await page.getByRole('radiogroup', { name: 'Permissions' }).getByRole('radio', { name: 'DynamoDB read-only' }).check();
  await page.getByRole('checkbox', { name: 'Billing', exact: true }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Step 3 of 3: Review and create' }).waitFor();
  states['Create role, step 3'] = await violations(page);
  await page.getByRole('button', { name: 'Create role' }).click();
  await page.getByRole('heading', { name: 'Role created' }).waitFor();
  states['Create role, the role created'] = await violations(page);
  await visit('/iam/grant', 'Grant switch access');
  states['Grant switch access'] = await violations(page);
  await visit('/activity', 'Activity');
  await page.getByRole('table', { name: 'Activity' }).waitFor();
  states['the activity'] = await violations(page);
  await visit('/activity?outcome=refused&person=Nobody', 'Activity');
  await page.getByRole('status').filter({ hasText: 'No event matches.' }).waitFor();
  states['the activity, filtered to nothing'] = await violations(page);
  await visit('/iam/access', 'Access map');
  states['the access map'] = await violations(page);
  await page.locator('.access-map td[tabindex]').first().focus();
  await page.locator('.access-map td:focus .tooltip').waitFor();
  states['the access map, a cell\'s reason shown'] = await violations(page);
  const failing = Object.entries(states).filter(([, v]) => v.length);
  assert.deepEqual(failing, [], 'no violations');
  await finish();
});

test('the visual mode chosen is shown at once and kept across a reload', async () => {
  const { page, finish } = await openPage(env, { colorScheme: 'light' });
  await page.goto(`${env.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Console Home' }).waitFor();
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await page.getByRole('combobox', { name: 'Visual mode' }).selectOption('Dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = await background();
  assert.notEqual(dark, light, 'the page turned dark');
  // Kept: a reload shows it again (boot.js sets it before the console starts).
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.getByRole('combobox', { name: 'Visual mode' }).inputValue(), 'dark');
  assert.equal(await background(), dark);
  await page.getByRole('combobox', { name: 'Visual mode' }).selectOption('System');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  assert.equal(await background(), light);
  await finish();
});
