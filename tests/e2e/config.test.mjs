// The runtime configuration: one build, and config.json beside index.html picks the world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, expectText, identityButton, openPage, signInDavid, siteWith, start } from './harness.mjs';

async function withConfig(config, files, check, { without = [] } = {}) {
  const site = await siteWith(config, files);
  for (const name of without) await rm(join(site.dir, name));
  const env = await start(site.dir);
  try {
    await check(env);
  } finally {
    await env.stop();
    await site.remove();
  }
}

test('config.json can name another world file for the mock', async () => {
  const demo = JSON.parse(await readFile(join(DIST, '..', 'public', 'demo-world.json'), 'utf8'));
  demo.accounts[2].users[0].name = 'Zed';
  await withConfig('{ "backend": "mock", "world": "/team-world.json" }', { 'team-world.json': JSON.stringify(demo) }, async (env) => {
    const { page, finish } = await openPage(env);
    await page.goto(`${env.url}/signin`);
    await page.getByRole('button', { name: 'Use Zed @ 333333333333' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Use Mallory/ }).count(), 0);
    await finish();
  });
});

test('a broken world file or config stops the console with a clear message', async () => {
  await withConfig('{ "backend": "mock", "world": "/broken-world.json" }', { 'broken-world.json': '{"format": 1' }, async (env) => {
    const { page, finish } = await openPage(env);
    await page.goto(`${env.url}/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expectText(alert, /The world file \/broken-world\.json could not be loaded/);
    await finish();
  });
  await withConfig('{ "backend": "carrier-pigeon" }', {}, async (env) => {
    const { page, finish } = await openPage(env);
    await page.goto(`${env.url}/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expectText(alert, /\/config\.json could not be read/);
    await finish();
  });
});

test('the mock runs in a Web Worker that is not part of the first download', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /(src|href)="[^"]*mock[-_]worker/, 'index.html neither loads nor preloads the engine');
  const env = await start();
  try {
    const { page, finish } = await openPage(env);
    await signInDavid(page, env.url);
    assert.deepEqual(
      page.workers().map((w) => new URL(w.url()).pathname),
      ['/mock-worker.js'],
      'the mock answered from its worker',
    );
    await finish();
  } finally {
    await env.stop();
  }
});

test('a mock whose engine cannot load says so where it is used, and the console still runs', async () => {
  const missing = (url) => url.endsWith('/mock_worker_bg.wasm');
  await withConfig('{ "backend": "mock" }', {}, async (env) => {
    const { page, finish } = await openPage(env, { expectedRefusals: missing });
    await page.goto(`${env.url}/signin`);
    await page.getByRole('textbox', { name: 'Account ID or alias' }).fill('example-corp');
    await page.getByRole('textbox', { name: 'IAM user name' }).fill('David');
    await page.getByLabel('Password').fill('david-Pa55word!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /in-browser mock stopped/);
    // What was typed is kept, and the console itself still works.
    assert.equal(await page.getByRole('textbox', { name: 'IAM user name' }).inputValue(), 'David');
    await identityButton(page).click();
    await page.getByRole('menu').waitFor();
    await finish();
  }, { without: ['mock_worker_bg.wasm'] });
});

test('config.json can give the mock a source address that policies read (aws:SourceIp)', async () => {
  const demo = JSON.parse(await readFile(join(DIST, '..', 'public', 'demo-world.json'), 'utf8'));
  demo.accounts[0].groups[0].policies.OfficeOnly = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    ],
  };
  for (const [sourceIp, readable] of [['203.0.113.7', true], ['198.51.100.1', false]]) {
    const config = { backend: 'mock', world: '/office-world.json', sourceIp };
    await withConfig(config, { 'office-world.json': JSON.stringify(demo) }, async (env) => {
      const { page, finish } = await openPage(env);
      await signInDavid(page, env.url);
      await page.goto(`${env.url}/dynamodb?table=DevScores`);
      if (readable) {
        await page.getByRole('table').getByText('DevScores: 3 items').waitFor();
      } else {
        await page.getByRole('alert').filter({ hasText: 'Access denied' }).waitFor();
      }
      await finish();
    });
  }
});
