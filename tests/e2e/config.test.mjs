// The runtime configuration: one build, and config.json beside index.html picks the world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, expectText, openPage, siteWith, start } from './harness.mjs';

async function withConfig(config, files, check) {
  const site = await siteWith(config, files);
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
