// The Activity page on the release build, with the in-browser mock and with crossrole-emulator:
// after David switches into PRODUCTION with MFA and Maria is refused, CorpAdmin's Activity page
// (offered in the navigation bar to identities that may look events up) lists both, newest
// first, with MFA and the refusal's reason; the filters (person, role, outcome) are in the URL;
// the access map's cell links there; the role's page in production lists its recent sessions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, PREDEFINED_LINK, expectText, identityButton, openPage, provoked, start } from './harness.mjs';
import { backends, signOut } from './backends.mjs';
import { startEmulator } from './emulator.mjs';

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

async function trySwitch(page, base) {
  await page.goto(`${base}${PREDEFINED_LINK}`);
  const button = page.getByRole('button', { name: 'Switch Role' });
  await button.waitFor();
  if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) await button.click();
  await page.getByRole('textbox', { name: 'Account' }).waitFor();
  await page.getByRole('button', { name: 'Switch Role' }).click();
}

/** The table's rows as [who, what, MFA, outcome]. */
async function rows(page) {
  const table = page.getByRole('table', { name: 'Activity' });
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll('td')].map((c) => c.textContent.trim());
    return [td[1], td[2], td[3], td[5]];
  }));
}

const TO_PROD = 'AccessToProdDynamoDB in 2222-2222-2222';

for (const [name, backend] of Object.entries(BACKENDS)) {
  test(`CorpAdmin's Activity page lists David's switch with MFA and Maria's refusal, on the ${name}`, async () => {
    const base = backend.base();
    const refusals = provoked(`${base}/`);
    const { page, finish } = await openPage(browserEnv, { expectedRefusals: refusals.excuse });
    await backend.signIn(page, 'David');
    await trySwitch(page, base);
    await identityButton(page).filter({ hasText: 'PRODUCTION' }).waitFor();
    // The Activity link is offered only to identities that may look events up.
    assert.equal(await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Activity' }).count(), 0);
    await signOut(page);
    await backend.signIn(page, 'Maria');
    await refusals.during(async () => {
      await trySwitch(page, base);
      await expectText(page.getByRole('alert'), /sts:AssumeRole/);
    });
    await signOut(page);

    await backend.signIn(page, 'CorpAdmin');
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    const all = await rows(page);
    const switched = all.find(([who, what]) => who === 'David' && what === `Assumed role ${TO_PROD}`);
    assert.deepEqual(switched, ['David', `Assumed role ${TO_PROD}`, 'Yes', 'Allowed'], JSON.stringify(all));
    const refused = all.find(([who, what]) => who === 'Maria' && what === `Assumed role ${TO_PROD}`);
    assert.ok(refused, JSON.stringify(all));
    assert.match(refused[3], /^Refused: .*is not authorized to perform: sts:AssumeRole/);
    assert.equal(refused[2], 'No');
    // Newest first: Maria's refusal comes before David's switch.
    assert.ok(all.indexOf(refused) < all.indexOf(switched));
    await page.screenshot({ path: join(ARTIFACTS, `activity-${name}.png`), fullPage: true });

    // Outcome: at once, into the URL.
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('refused');
    await page.waitForURL(/\/activity\?outcome=refused$/);
    await expectText(page.getByRole('status').filter({ hasText: /event/ }), /^\d+ events?\.$/);
    const onlyRefused = await rows(page);
    assert.ok(onlyRefused.length > 0 && onlyRefused.every((r) => r[3].startsWith('Refused: ')), JSON.stringify(onlyRefused));
    // Person and role, applied together.
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('all');
    await page.getByRole('textbox', { name: 'Person' }).fill('David');
    await page.getByRole('textbox', { name: 'Role' }).fill('AccessToProdDynamoDB');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/activity\?person=David&role=AccessToProdDynamoDB$/);
    // The address changes before the filtered page arrives: wait for the table to show it.
    await page.waitForFunction((toProd) => {
      const trs = [...document.querySelectorAll('table tbody tr')];
      return trs.length > 0 && trs.every((tr) => {
        const td = [...tr.querySelectorAll('td')].map((c) => c.textContent.trim());
        return td[1] === 'David' && td[2].endsWith(toProd);
      });
    }, TO_PROD);
    const david = await rows(page);
    assert.ok(david.length > 0 && david.every(([who, what]) => who === 'David' && what.endsWith(TO_PROD)), JSON.stringify(david));
    // A page opened at the filtered URL shows the same, with the fields filled in.
    await page.reload();
    assert.equal(await page.getByRole('textbox', { name: 'Person' }).inputValue(), 'David');
    assert.deepEqual(await rows(page), david);
    // The access map's cell links to the switches that actually happened.
    await page.goto(`${base}/iam/access`);
    await page.getByRole('link', { name: 'Activity of David with AccessToProdDynamoDB (2222-2222-2222)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    assert.match(page.url(), /\/activity\?person=David&role=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAccessToProdDynamoDB$/);
    assert.deepEqual(await rows(page), david);
    await signOut(page);
    // In the role's account, the role's page lists its recent sessions: David's, allowed, and
    // Maria's, refused.
    await backend.signIn(page, 'ProdAdmin');
    await page.goto(`${base}/iam/role?name=AccessToProdDynamoDB`);
    const sessions = page.getByRole('list', { name: 'Recent sessions' }).getByRole('listitem');
    await sessions.first().waitFor();
    const said = await sessions.allTextContents();
    assert.ok(said.some((s) => /by someone in account 1111-1111-1111, allowed$/.test(s)), JSON.stringify(said));
    assert.ok(said.some((s) => /by someone in account 1111-1111-1111, refused: /.test(s)), JSON.stringify(said));
    await finish();
  });
}
