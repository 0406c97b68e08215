// Starts the console. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy forbids; Trunk.toml's pattern_script puts the hashed file names
// on this script's element instead.
const self = document.querySelector('script[data-wasm]');
const { default: init } = await import(self.dataset.js);
await init({ module_or_path: self.dataset.wasm });
