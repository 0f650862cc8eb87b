import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/executors/signature.js';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
  readonly signatureValid: boolean;
}

/**
 * A webhook receiver for tests on 127.0.0.1: checks the HMAC signature of the raw body,
 * answers 500 to the first delivery of each idempotency key when told to (a forced failure),
 * and accepts each key once, answering a repeat 200 without accepting it again.
 */
export class Receiver {
  readonly requests: Received[] = [];
  /** Bodies accepted, by idempotency key: exactly one each when delivery is right. */
  readonly accepted = new Map<string, string>();
  /** Deliveries of a key already accepted: answered 200 and dropped. */
  duplicates = 0;
  failFirst = false;
  #server: Server | undefined;
  readonly #tried = new Set<string>();
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const key = String(req.headers['idempotency-key'] ?? '');
        const sig = String(req.headers['x-roster-signature'] ?? '');
        const signatureValid = verifySignature(body, this.#secret, sig);
        let status = 200;
        if (!signatureValid) status = 401;
        else if (this.failFirst && !this.#tried.has(key)) status = 500;
        this.#tried.add(key);
        if (status === 200 && this.accepted.has(key)) this.duplicates++;
        else if (status === 200) this.accepted.set(key, body);
        this.requests.push({ headers: req.headers, body, status, signatureValid });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((ok) => this.#server!.listen(0, '127.0.0.1', ok));
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/roster`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.#server ? this.#server.close(() => ok()) : ok()));
  }
}
