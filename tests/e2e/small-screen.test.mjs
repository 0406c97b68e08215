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

/**
 * The controls on the page smaller than 24 × 24 CSS px (WCAG 2.5.8, target size minimum):
 * buttons, fields, menu items and the navigation's links that are shown; a link inside a
 * sentence is exempt (the criterion's "inline" exception).
 */
const smallTargets = (page) => page.evaluate(() => {
  const controls = document.querySelectorAll('button, input:not([type=hidden]):not([type=file]), select, textarea, [role=menuitem], nav a, .form-actions a');
  return [...controls]
    .filter((c) => c.checkVisibility())
    .map((c) => ({ c, box: c.getBoundingClientRect() }))
    .filter(({ box }) => box.width < 24 || box.height < 24)
    .map(({ c, box }) => `${c.tagName.toLowerCase()} "${(c.textContent || c.getAttribute('aria-label') || c.id).trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`);
});

/** Visits `path` and waits for its heading. */
async function visit(page, path, heading) {
  await page.goto(`${env.url}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

for (const width of [375, 320]) {
  test(`at ${width} px every page fits the screen and the Identity menu opens in view`, async () => {
    const { page, finish } = await openPage(env, { viewport: { width, height: 740 } });
    const wide = {};
    const small = {};
    const check = async (where) => {
      const by = await overflow(page);
      if (by > 0) wide[where] = by;
      const tiny = await smallTargets(page);
      if (tiny.length > 0) small[where] = tiny;
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
      ['/activity', 'Activity'],
    ]) {
      await visit(page, path, heading);
      await check(path);
    }
    // Code scrolls inside its box, not the page.
    await visit(page, '/iam/role?name=AccessToProdDynamoDB', 'AccessToProdDynamoDB');
    await page.getByRole('button', { name: 'Export as CloudFormation' }).click();
    await page.getByRole('textbox', { name: 'CloudFormation template (YAML)' }).waitFor();
    await check('a role exported as CloudFormation');
    await page.screenshot({ path: join(ARTIFACTS, `access-map-${width}.png`), fullPage: true });
    assert.deepEqual(wide, {}, 'pages that scroll sideways (by how many px)');
    assert.deepEqual(small, {}, 'controls smaller than 24 × 24 px');
    await finish();
  });
}

test('at 375 px the navigation links fold behind a Menu button that opens, follows and closes', async () => {
  const { page, finish } = await openPage(env, { viewport: { width: 375, height: 740 } });
  await signInWithPassword(page, env.url, { user: 'David', password: 'david-Pa55word!', mfa: true });
  const banner = page.getByRole('banner');
  const toggle = banner.getByRole('button', { name: 'Menu' });
  const services = banner.getByRole('navigation', { name: 'Services' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await services.getByRole('link', { name: 'DynamoDB' }).isVisible(), false, 'folded away');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await services.getByRole('link', { name: 'DynamoDB' }).click();
  await page.getByRole('heading', { level: 1, name: 'DynamoDB tables' }).waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'a link followed closes the menu');
  // Escape closes it and gives the focus back to its button.
  await toggle.click();
  await services.getByRole('link', { name: 'Catalog' }).focus();
  await page.keyboard.press('Escape');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await toggle.evaluate((b) => b === document.activeElement), true);
  await page.screenshot({ path: join(ARTIFACTS, 'navbar-375.png') });
  await finish();
});

test('on a desktop the navigation links are shown and no Menu button is', async () => {
  const { page, finish } = await openPage(env);
  await signInWithPassword(page, env.url, { user: 'David', password: 'david-Pa55word!', mfa: true });
  const banner = page.getByRole('banner');
  assert.equal(await banner.getByRole('button', { name: 'Menu' }).isVisible(), false);
  assert.equal(await banner.getByRole('link', { name: 'DynamoDB' }).isVisible(), true);
  await finish();
});

// The README's screenshots: in the PRODUCTION role with the Identity menu open, in the light
// theme and the dark one (each following the system's preference), and on a phone.
for (const [name, options, background] of [
  ['light', { colorScheme: 'light' }, 'rgb(242, 243, 243)'],
  ['dark', { colorScheme: 'dark' }, 'rgb(15, 27, 42)'],
  ['375px', { colorScheme: 'light', viewport: { width: 375, height: 740 } }, 'rgb(242, 243, 243)'],
]) {
  test(`in a role with the Identity menu open, ${name}`, async () => {
    const { page, finish } = await openPage(env, options);
    await signInWithPassword(page, env.url, { user: 'David', password: 'david-Pa55word!', mfa: true });
    // In the role's colour, as the README shows it.
    await visit(page, `${PREDEFINED_LINK}&color=f2b0a9`, 'Switch Role');
    if (await page.getByRole('textbox', { name: 'Account' }).count() === 0) {
      await page.getByRole('button', { name: 'Switch Role' }).click();
    }
    await page.getByRole('button', { name: 'Switch Role' }).click();
    await identityButton(page).filter({ hasText: 'PRODUCTION' }).waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), background, 'the theme follows the system');
    await identityButton(page).click();
    await page.getByRole('menu').waitFor();
    if (options.viewport) assert.equal(await overflow(page), 0);
    await page.screenshot({ path: join(ARTIFACTS, `readme-${name}.png`) });
    await finish();
  });
}

for (const width of [1100, 800, 700]) test(`every access map cell's reason opens inside a ${width} px window, the last column's too`, async () => {
  const { page, finish } = await openPage(env, { viewport: { width, height: 700 } });
  await signInWithPassword(page, env.url, { user: 'CorpAdmin', password: 'corpadmin-Pa55word!' });
  await visit(page, '/iam/access', 'Access map');
  await page.getByRole('table', { name: 'Access map' }).waitFor();
  const cells = page.locator('.access-map td[tabindex]');
  const count = await cells.count();
  assert.ok(count >= 4, `cells: ${count}`);
  const outside = [];
  for (let i = 0; i < count; i++) {
    await cells.nth(i).focus();
    const box = await page.locator('.access-map td:focus .tooltip').boundingBox();
    if (box.x < 0 || box.x + box.width > width) outside.push(`cell ${i}: ${Math.round(box.x)}–${Math.round(box.x + box.width)}`);
  }
  assert.deepEqual(outside, [], `reasons past the window's ${width} px`);
  await finish();
});
