// A phone's screen (375 and 320 px wide): no page scrolls sideways, and the Identity menu —
// the way into switching — opens fully in view (WCAG 1.4.10 reflow: content at 320 CSS px
// without scrolling in two directions; a wide table may scroll inside its own box).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, PREDEFINED_LINK, identityButton, openPage, signInWithPassword, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** The page scrolls sideways by this many pixels (0 when it fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Opens the Identity menu and asserts it lies wholly inside the viewport; closes it. */
async function menuInView(page, where) {
  await identityButton(page).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  const box = await menu.boundingBox();
  const view = page.viewportSize();
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width && box.y + box.height <= view.height,
    `${where}: the Identity menu at ${JSON.stringify(box)} is outside ${view.width}×${view.height}`);
  assert.equal(await overflow(page), 0, `${where}: opening the menu scrolls sideways`);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
}

/** Visits `path` and waits for its heading. */
async function visit(page, path, heading) {
  await page.goto(`${env.url}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

for (const width of [375, 320]) {
  test(`at ${width} px every page fits the screen and the Identity menu opens in view`, async () => {
    const { page, finish } = await openPage(env, { viewport: { width, height: 740 } });
    const wide = {};
    const check = async (where) => {
      const by = await overflow(page);
      if (by > 0) wide[where] = by;
      await menuInView(page, where);
    };
    await visit(page, '/signin', 'Sign in');
    await check('/signin');
    await visit(page, '/nowhere', 'Page not found');
    await check('not found');

    await signInWithPassword(page, env.url, { user: 'David', password: 'david-Pa55word!', mfa: true });
    await check('home, signed in');
    await visit(page, PREDEFINED_LINK, 'Switch Role');
    await check('Switch Role');
    if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) {
      await page.getByRole('button', { name: 'Switch Role' }).click();
    }
    await page.getByRole('textbox', { name: 'Account' }).waitFor();
    await check('Switch Role, the form');
    await page.getByRole('button', { name: 'Switch Role' }).click();
    await identityButton(page).filter({ hasText: 'PRODUCTION' }).waitFor();
    await check('home, in a role');
    await visit(page, '/dynamodb', 'DynamoDB tables');
    await check('DynamoDB');
    await visit(page, '/catalog', 'Role catalog');
    await check('Role catalog');
    await page.screenshot({ path: join(ARTIFACTS, `catalog-${width}.png`), fullPage: true });

    // The administrator's pages, as ProdAdmin.
    await identityButton(page).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signInWithPassword(page, env.url, { account: '222222222222', user: 'ProdAdmin', password: 'prodadmin-Pa55word!' });
    for (const [path, heading] of [
      ['/iam', 'Roles'],
      ['/iam/role?name=AccessToProdDynamoDB', 'AccessToProdDynamoDB'],
      ['/iam/create', 'Create role'],
      ['/iam/grant', 'Grant switch access'],
      ['/iam/access', 'Access map'],
    ]) {
      await visit(page, path, heading);
      await check(path);
    }
    await page.screenshot({ path: join(ARTIFACTS, `access-map-${width}.png`), fullPage: true });
    assert.deepEqual(wide, {}, 'pages that scroll sideways (by how many px)');
    await finish();
  });
}
