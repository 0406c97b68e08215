// Starts the console. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy forbids; Trunk.toml's pattern_script puts the hashed file names
// on this script's element instead.
// The visual mode chosen in this browser, shown before the console starts (no flash of the
// other theme); src/components/visual_mode.rs keeps it in the same key.
try {
  const mode = localStorage.getItem('crossrole.visualMode.v1');
  if (mode === 'light' || mode === 'dark') document.documentElement.dataset.theme = mode;
} catch {
  // Storage refused: the system's mode.
}
const self = document.querySelector('script[data-wasm]');
const { default: init } = await import(self.dataset.js);
await init({ module_or_path: self.dataset.wasm });
