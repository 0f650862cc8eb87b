import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A temporary JSON-lines file that holds values for a second pass, so a parser that must see
 * the whole input before deciding (a uuid that a later host turns out to share) keeps memory
 * bounded. Removed by `close()`.
 */
export class Spool<T> {
  readonly #dir = mkdtempSync(join(tmpdir(), 'roster-spool-'));
  readonly #path = join(this.#dir, 'spool.jsonl');
  readonly #out: WriteStream = createWriteStream(this.#path);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  async write(value: T): Promise<void> {
    this.#count++;
    if (!this.#out.write(`${JSON.stringify(value)}\n`)) await once(this.#out, 'drain');
  }

  /** Reads back every value written, in order. */
  async *read(): AsyncGenerator<T> {
    this.#out.end();
    await once(this.#out, 'close');
    const lines = createInterface({ input: createReadStream(this.#path), crlfDelay: Infinity });
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
  }

  close(): void {
    if (!this.#out.closed) this.#out.destroy();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
