import { start } from './harness.mjs';
const env = await start(process.argv[2]);
for (let i = 0; i < 6; i++) {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    const orig = WebAssembly.instantiateStreaming;
    window.__t = {};
    WebAssembly.instantiateStreaming = async (...a) => { const t0 = performance.now(); const r = await orig(...a); window.__t.inst = [Math.round(t0), Math.round(performance.now())]; return r; };
    new MutationObserver(() => { const b = document.querySelector('header button[aria-haspopup="menu"]'); if (b && !window.__t.ready) window.__t.ready = Math.round(performance.now()); }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  await page.goto(`${env.url}/`);
  await page.waitForFunction(() => window.__t.ready);
  const t = await page.evaluate(() => ({ ...window.__t, res: performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname.slice(0, 14), Math.round(e.startTime), Math.round(e.responseEnd)]) }));
  console.log(JSON.stringify(t));
  await context.close();
}
await env.stop();
