// Messages that say what to do next: each refusal a person can meet names the next step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { identityButton, openPage, start } from './harness.mjs';
import { DAVID_SEED, totp } from './totp.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Fills the mock's sign-in form as David with `code` and submits it. */
async function signInWith(page, code) {
  await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
  await page.getByRole('textbox', { name: 'IAM user name' }).fill('David');
  await page.getByLabel('Password').fill('david-Pa55word!');
  await page.getByRole('textbox', { name: 'MFA code' }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an MFA code used a moment ago is refused with what to do: wait for the next one, and how long', async () => {
  const { page, finish } = await openPage(env);
  const code = totp(DAVID_SEED);
  await page.goto(`${env.url}/signin`);
  await signInWith(page, code);
  await identityButton(page).filter({ hasText: 'David @ example-corp' }).waitFor();
  await identityButton(page).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  // The device still shows the same code: before, this said the code was "not valid".
  await signInWith(page, code);
  const alert = page.getByRole('main').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /This MFA code was just used, and each code works once\. Wait for the device to show the next code \(in about ([1-9]|[12][0-9]|30) seconds\), then enter it\./);
  await finish();
});
