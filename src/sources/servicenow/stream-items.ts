import type { Readable } from 'node:stream';

const HIGH_WATER = 256;

/**
 * Iterates the objects a stream emits and, when it fails, first hands over every object it
 * emitted before the failure, then throws. Node's own async iterator drops what it buffered
 * when the stream errors, which would lose good records read before a malformed tail.
 */
export async function* itemsThenFailure<T>(stream: Readable): AsyncGenerator<T> {
  const queue: T[] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    wake?.();
    wake = undefined;
  };
  stream.on('data', (item: T) => {
    queue.push(item);
    if (queue.length >= HIGH_WATER) stream.pause();
    signal();
  });
  stream.once('error', (err) => {
    failure = err;
    ended = true;
    signal();
  });
  stream.once('end', () => {
    ended = true;
    signal();
  });
  for (;;) {
    const item = queue.shift();
    if (item !== undefined) {
      if (queue.length < HIGH_WATER / 2 && stream.isPaused()) stream.resume();
      yield item;
    } else if (ended) break;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
  if (failure !== undefined) throw failure;
}
