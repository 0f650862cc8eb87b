import { spawn } from 'node:child_process';
import type { CommandConfig } from '../lifecycle/config.js';
import type { OutboxItem } from '../lifecycle/port.js';
import type { Deliverer, DeliveryOutcome } from './deliverer.js';

const MAX_OUTPUT = 4096;

/**
 * Runs the configured program once per action, for shops that revoke with their own scripts.
 * The action (the event's `data`) is the JSON on stdin; the whole CloudEvent's context goes
 * in `CE_*` variables as in the CloudEvents Program Binding, and `ROSTER_IDEMPOTENCY_KEY`
 * repeats the key. Exit status 0 is success; anything else is tried again later.
 */
export function commandDeliverer(config: CommandConfig): Deliverer {
  return { target: 'command', deliver: (item) => run(config, item) };
}

function run(config: CommandConfig, item: OutboxItem): Promise<DeliveryOutcome> {
  const event = JSON.parse(item.body) as Record<string, unknown>;
  const env: Record<string, string | undefined> = { ...process.env,
    ROSTER_IDEMPOTENCY_KEY: item.idempotencyKey };
  for (const a of ['id', 'source', 'type', 'specversion', 'subject', 'time']) {
    if (typeof event[a] === 'string') env[`CE_${a.toUpperCase()}`] = event[a];
  }
  return new Promise((resolve) => {
    const child = spawn(config.path, config.args, { env, stdio: ['pipe', 'ignore', 'pipe'],
      timeout: config.timeoutSeconds * 1000 });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += c.toString('utf8');
    });
    child.on('error', (err) => {
      resolve({ ok: false, retry: true, error: `${config.path}: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ ok: true, detail: 'exit 0' });
      const why = signal ? `killed by ${signal}` : `exit ${code}`;
      const tail = stderr.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
      const error = `${config.path}: ${why}${tail ? `: ${tail}` : ''}`;
      resolve({ ok: false, retry: true, error });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(event['data'] ?? event));
  });
}
