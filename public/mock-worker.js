// Starts the in-browser mock's engine in this Web Worker (src/bin/mock_worker.rs, which Trunk
// builds as mock_worker.js and mock_worker_bg.wasm beside this file). A file, not Trunk's
// loader shim, because the shim calls wasm-bindgen's initialiser the deprecated way.
importScripts('./mock_worker.js');
wasm_bindgen({ module_or_path: './mock_worker_bg.wasm' }).catch((e) => {
  // A failed start is thrown at the worker's top level, where the page's `error` listener hears
  // it and reports that the mock stopped.
  setTimeout(() => {
    throw e;
  });
});
