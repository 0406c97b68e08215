// A static host for dist/ as any production host would be set up: files by path, and
// index.html for every other path that has no file extension (the console's deep links).
// A missing asset stays a 404, so a broken reference fails the tests.
import { createServer, request } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The host's proxy to its AWS endpoint at `url()` (read per request: the endpoint may start
 * after the host): each request forwarded unchanged, Host header included (it is signed).
 */
export function proxyTo(url) {
  return (req, res) => {
    const target = new URL(url());
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(upstream);
  };
}

/**
 * Serves `root` on 127.0.0.1 at a free port; resolves to { url, close }. With `aws`, POSTs
 * (AWS calls) and the federation endpoint's `/federation` go to `aws(req, res)` instead, as a
 * host proxying to its AWS endpoint would (the README's recipe).
 */
export async function serveStatic(root, { aws, port = 0 } = {}) {
  const server = createServer(async (req, res) => {
    if (aws && (req.method === 'POST' || new URL(req.url, 'http://127.0.0.1').pathname === '/federation')) {
      aws(req, res);
      return;
    }
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
      let file = join(root, rel);
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      const isFile = await stat(file).then((s) => s.isFile(), () => false);
      if (!isFile) {
        if (extname(rel) !== '') {
          res.writeHead(404).end();
          return;
        }
        file = join(root, 'index.html');
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        // What the meta tag cannot say: no framing by other sites.
        'Content-Security-Policy': "frame-ancestors 'none'",
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  // Closing must not wait for a connection a test left hanging on purpose.
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        for (const socket of sockets) socket.destroy();
      }),
  };
}
