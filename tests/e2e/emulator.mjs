// Starts the servers of the end-to-end tests against a real wire protocol: crossrole-emulator
// serving the built console same-origin, and any server that announces itself the same way.
// Each listens on a free port (printed in its first log line) and is stopped with SIGTERM;
// its log is kept for assertions.
import { signedHeaders } from './sigv4.mjs';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The emulator binary the tests run. */
export const BINARY = process.env.EMULATOR_BIN ?? resolve(here, '../../target/debug/crossrole-emulator');

/**
 * Tells the test command about a server this run started: its pid and start time, so that it
 * stops exactly that process and never another that later got the same pid.
 */
function recordServer(pid) {
  const file = process.env.CROSSROLE_TEST_PIDS;
  if (!file || !pid) return;
  try {
    const started = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop().trim().split(/\s+/)[19];
    appendFileSync(file, `${pid} ${started}\n`);
  } catch {
    // Already gone: nothing to stop.
  }
}

/**
 * Spawns a server that writes a JSON "listening" line on stderr when ready (the emulator,
 * tests/aws/moto_server.py); resolves to { ready, log, stop } with `ready` that line's object.
 * The server never outlives the test process.
 */
export async function spawnServer(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  recordServer(child.pid);
  const log = [];
  const lines = createInterface({ input: child.stderr });
  const ready = await new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${command} exited with ${code}: ${log.join('\n')}`)));
    lines.on('line', (line) => {
      log.push(line);
      try {
        const event = JSON.parse(line);
        if (event.kind === 'listening') ok(event);
      } catch {
        // Not a log line of ours: kept in `log`.
      }
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  return {
    ready,
    log,
    /** SIGTERM, then the exit status (a graceful shutdown exits 0). */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Starts the emulator with `--static dist/` and `args`; resolves to { url, log, expire, stop }. */
export async function startEmulator(args = []) {
  const server = await spawnServer(BINARY, ['--listen', '127.0.0.1:0', '--static', DIST, ...args]);
  const { url } = server.ready;
  return {
    url,
    log: server.log,
    /** Ends a session's validity now (`--test-hooks` only), by a request the session signs. */
    async expire(credentials) {
      const hook = `${url}/crossrole-test/expire`;
      const headers = signedHeaders(hook, credentials, { region: 'us-west-2', service: 'sts' });
      const r = await fetch(hook, { method: 'POST', headers });
      if (r.status !== 204) throw new Error(`expire ${credentials.accessKeyId}: HTTP ${r.status}`);
    },
    stop: server.stop,
  };
}
