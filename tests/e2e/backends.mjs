// The two backends the walk-through tests run on, and the demo world's people on each: the
// mock signs in with a password, the emulator with an access key (and David's MFA code).
import { fillKeySignIn, identityButton, openMenu, signInWithPassword } from './harness.mjs';
import { DAVID_SEED, freshCode } from './totp.mjs';

export const PEOPLE = {
  ProdAdmin: { account: 'example-prod', password: 'prodadmin-Pa55word!', key: 'AKIAEXAMPLEPRODADMIN', secret: 'Pr0dAdm1nSecretKeyExample/ForDemoOnly000' },
  CorpAdmin: { account: 'example-corp', password: 'corpadmin-Pa55word!', key: 'AKIAEXAMPLECORPADMIN', secret: 'C0rpAdm1nSecretKeyExample/ForDemoOnly000' },
  David: { account: 'example-corp', password: 'david-Pa55word!', key: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', mfa: true },
  Maria: { account: 'example-corp', password: 'maria-Pa55word!', key: 'AKIAI44QH8DHBEXAMPLE', secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' },
};

/**
 * `{ mock, emulator }`, each with `base()` (the console's URL) and `signIn(page, who)`;
 * `browserEnv()` and `emulator()` give the running servers (started in the test's `before`).
 */
export function backends(browserEnv, emulator) {
  const usedSteps = new Set();
  return {
    mock: {
      base: () => browserEnv().url,
      async signIn(page, who) {
        const p = PEOPLE[who];
        await signInWithPassword(page, browserEnv().url, { account: p.account, user: who, password: p.password, mfa: p.mfa });
      },
    },
    emulator: {
      base: () => emulator().url,
      async signIn(page, who) {
        const p = PEOPLE[who];
        await page.goto(`${emulator().url}/signin`);
        await fillKeySignIn(page, {
          accessKeyId: p.key,
          secretAccessKey: p.secret,
          mfaCode: p.mfa ? await freshCode(DAVID_SEED, usedSteps) : '',
        });
        await page.getByRole('button', { name: 'Sign in' }).click();
        await identityButton(page).filter({ hasText: new RegExp(`^${who}`) }).waitFor();
      },
    },
  };
}

/** Signs out through the Identity menu. */
export async function signOut(page) {
  const menu = await openMenu(page);
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('banner').getByRole('button', { name: /^Not signed in/ }).waitFor();
}
