// The runtime configuration: one build, and config.json beside index.html picks the world.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, openPage, start } from './harness.mjs';

let site;
before(async () => {
  // A copy of the release build, as a host would deploy it, with its own config.
  site = await mkdtemp(join(tmpdir(), 'crossrole-site-'));
  await cp(DIST, site, { recursive: true });
});
after(async () => {
  await rm(site, { recursive: true, force: true });
});

async function withConfig(config, files, check) {
  await writeFile(join(site, 'config.json'), config);
  for (const [name, text] of Object.entries(files)) await writeFile(join(site, name), text);
  const env = await start(site);
  try {
    await check(env);
  } finally {
    await env.stop();
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
    assert.match(await alert.textContent(), /The world file \/broken-world\.json could not be loaded/);
    await finish();
  });
  await withConfig('{ "backend": "carrier-pigeon" }', {}, async (env) => {
    const { page, finish } = await openPage(env);
    await page.goto(`${env.url}/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /\/config\.json could not be read/);
    await finish();
  });
});
