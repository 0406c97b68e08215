// For people who switch roles for a living: deep links that carry a destination
// (signed out → sign in → switch → the destination), several identities in several tabs, the
// command palette and the role catalog, on the release build with the mock.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, expectText, identityButton, openMenu, openPage, openTabs, signInDavid, signInWithPassword, siteWith, start } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const DEEP_LINK =
  '/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9' +
  '&destination=%2Fdynamodb%3Ftable%3DGameScores';

test('a deep link opened signed out signs in, switches and lands on its destination', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}${DEEP_LINK}`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).fill('David');
  await page.getByLabel('Password').fill('david-Pa55word!');
  await page.getByRole('textbox', { name: 'MFA code' }).fill(totp(DAVID_SEED));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/switchrole');
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  if (await page.getByRole('textbox', { name: 'Account', exact: true }).count() === 0) await go.click();
  await expectText(page.locator('form'), /After switching you go to \/dynamodb\?table=GameScores/);
  assert.match(
    await page.getByRole('textbox', { name: 'Predefined link' }).inputValue(),
    /destination=%2Fdynamodb%3Ftable%3DGameScores$/,
  );
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await page.waitForURL((u) => u.pathname === '/dynamodb' && u.searchParams.get('table') === 'GameScores');
  await identityButton(page).filter({ hasText: /^PRODUCTION/ }).waitFor();
  await page.getByRole('table').getByText(/^GameScores: \d+ items$/).waitFor();
  await finish();
});

test('an off-site destination is refused and the switch goes home', async () => {
  const { page, finish } = await openPage(env);
  await signInDavid(page, env.url);
  await page.goto(`${env.url}/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&destination=https%3A%2F%2Fevil.example%2F`);
  const go = page.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  if (await page.getByRole('textbox', { name: 'Account', exact: true }).count() === 0) await go.click();
  await expectText(page.getByRole('alert'), /destination was not used: Destination must be a path on this site/);
  await page.getByRole('button', { name: 'Switch Role' }).click();
  await identityButton(page).filter({ hasText: /^AccessToProdDynamoDB/ }).waitFor();
  assert.equal(new URL(page.url()).origin, env.url);
  assert.equal(new URL(page.url()).pathname, '/');
  await finish();
});


test('two tabs act as two identities at once, and each names the other', async () => {
  const { pages: [david, maria], finish } = await openTabs(env, 2);
  await signInDavid(david, env.url);
  await david.goto(`${env.url}/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9`);
  const go = david.getByRole('button', { name: 'Switch Role' });
  await go.waitFor();
  if (await david.getByRole('textbox', { name: 'Account', exact: true }).count() === 0) await go.click();
  await david.getByRole('button', { name: 'Switch Role' }).click();
  await identityButton(david).filter({ hasText: /^PRODUCTION/ }).waitFor();

  // The second tab's sign-in page says who is signed in elsewhere; signing in takes nothing over.
  await maria.goto(`${env.url}/signin`);
  await expectText(maria.locator('.signin'), /Signed in in other tabs: PRODUCTION/);
  await signInWithPassword(maria, env.url, { user: 'Maria', password: 'maria-Pa55word!' });

  // Each banner shows its own identity and colour, at the same time.
  await identityButton(david).filter({ hasText: /^PRODUCTION/ }).waitFor();
  assert.equal(await identityButton(david).evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(242, 176, 169)');
  await identityButton(maria).filter({ hasText: /^Maria @ example-corp/ }).waitFor();
  // Each acts as itself: David's tab reads GameScores as the role.
  await david.goto(`${env.url}/dynamodb?table=GameScores`);
  await david.getByRole('table').getByText(/^GameScores: \d+ items$/).waitFor();

  // Each Identity menu names the other tab's session.
  const mariaMenu = await openMenu(maria);
  await expectText(mariaMenu, /PRODUCTION \(another tab\)/);
  await maria.keyboard.press('Escape');
  const davidMenu = await openMenu(david);
  await expectText(davidMenu.getByRole('group', { name: 'Other sessions' }), /Maria @ example-corp \(another tab\)/);
  await david.screenshot({ path: join(ARTIFACTS, 'other-sessions.png') });
  await david.keyboard.press('Escape');

  // The command palette, by keyboard: Back to David first while in a role.
  await david.keyboard.press('Control+k');
  const palette = david.getByRole('dialog', { name: 'Switch role' });
  await palette.waitFor();
  const options = palette.getByRole('listbox').getByRole('option');
  await expectText(options.first(), /Back to David/);
  await david.keyboard.type('prod');
  await david.screenshot({ path: join(ARTIFACTS, 'palette.png') });
  await david.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  await finish();
});

test('a team catalog named by config.json is merged read-only, with what changed since last seen', async () => {
  const team = '[profile team-prod]\nrole_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB\ndisplay_name = Team PRODUCTION\ncolor = f2b0a9\n\n[profile team-ops]\nrole_arn = arn:aws:iam::222222222222:role/ops/ProdOperator\n';
  const site = await siteWith({ backend: 'mock', catalog: '/team.ini' }, { 'team.ini': team });
  const teamEnv = await start(site.dir);
  try {
    const { page, finish } = await openPage(teamEnv);
    await page.goto(`${teamEnv.url}/catalog`);
    await page.getByRole('heading', { name: 'Team catalog' }).waitFor();
    const list = page.getByRole('list', { name: 'Team catalog' });
    await expectText(list, /Team PRODUCTION/);
    await expectText(list, /team-ops/);
    assert.equal(await list.getByRole('button', { name: 'Edit' }).count(), 0, 'read-only');
    const changes = page.getByRole('region', { name: 'Team catalog changes' });
    await expectText(changes, /Added: team-prod, team-ops/);
    await page.screenshot({ path: join(ARTIFACTS, 'catalog.png'), fullPage: true });
    await changes.getByRole('button', { name: 'Mark as seen' }).click();
    await expectText(changes, /No changes since you last looked/);
    await finish();
  } finally {
    await teamEnv.stop();
    await site.remove();
  }
});

test('the catalog filter box narrows the list in its own order and says how many match', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/catalog`);
  await page.getByRole('textbox', { name: 'Configuration' }).fill([
    '[profile prod]', 'role_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB',
    '[profile ops]', 'role_arn = arn:aws:iam::222222222222:role/ops/ProdOperator',
    '[profile sensitive]', 'role_arn = arn:aws:iam::111111111111:role/SensitiveDataAccess', '',
  ].join('\n'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const entries = page.getByRole('list', { name: 'Roles in the catalog' });
  const names = () => entries.locator('.catalog-head strong').allTextContents();
  await expectText(entries, /sensitive/);
  assert.deepEqual(await names(), ['prod', 'ops', 'sensitive']);
  const box = page.getByRole('searchbox', { name: 'Filter roles' });
  await box.fill('222222222222');
  await expectText(page.getByRole('status').filter({ hasText: 'match' }), /^2 of 3 roles match\.$/);
  assert.deepEqual(await names(), ['prod', 'ops']);
  await box.fill('payroll-nothing');
  await expectText(page.getByRole('status').filter({ hasText: 'matches' }), /No role matches "payroll-nothing"\./);
  assert.deepEqual(await names(), []);
  await box.fill('');
  await expectText(entries, /sensitive/);
  assert.deepEqual(await names(), ['prod', 'ops', 'sensitive']);
  await finish();
});

test('an AESR colour outside the palette is shown as given on its catalog entry and its command palette row, and said so', async () => {
  const { page, finish } = await openPage(env);
  await page.goto(`${env.url}/catalog`);
  await page.getByRole('textbox', { name: 'Configuration' }).fill('[orange-ish]\naws_account_id = 222222222222\nrole_name = AccessToProdDynamoDB\ncolor = ffaa22 ; AESR keeps any hex\n');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const entry = page.getByRole('list', { name: 'Roles in the catalog' }).getByRole('listitem').first();
  await expectText(entry, /Color #ffaa22, as given \(the navigation bar shows the palette's nearest, yellow\)\./);
  assert.equal(await entry.evaluate((li) => getComputedStyle(li).borderLeftColor), 'rgb(255, 170, 34)');
  // The palette's row for the entry too; the history's rows keep the palette's colours.
  await signInDavid(page, env.url);
  await page.keyboard.press('Control+k');
  const row = page.getByRole('dialog', { name: 'Switch role' }).getByRole('option', { name: /orange-ish/ });
  await row.waitFor();
  assert.equal(await row.evaluate((li) => getComputedStyle(li).borderLeftColor), 'rgb(255, 170, 34)');
  await finish();
});
