import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { looksLikeSecretValue } from '../../model/secrets.js';
import type { SourceInput } from '../format.js';
import { ByteCounter, ProgressGate } from '../streaming/byte-counter.js';

/** What the PEM reader finds, in file order. `line` is the 1-based line of the BEGIN line. */
export type PemItem =
  | { readonly kind: 'block'; readonly label: string; readonly der: Buffer; readonly line: number }
  /** A block that cannot be decoded: no END line, a mismatched END, bad Base64. */
  | { readonly kind: 'bad'; readonly label: string; readonly line: number; readonly why: string }
  /** A private key block: its lines were skipped, never kept. */
  | { readonly kind: 'private-key'; readonly label: string; readonly line: number }
  /** A line outside any block that holds a secret (a bare token). */
  | { readonly kind: 'secret-line'; readonly line: number }
  | { readonly kind: 'progress'; readonly bytes: number };

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END = /^-----END ([A-Z0-9 ]+)-----$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface Open {
  readonly label: string;
  readonly line: number;
  readonly isPrivate: boolean;
  readonly parts: string[];
  /** RFC 1421 headers (`Proc-Type: …`) precede a blank line inside the block. */
  headers: boolean;
}

/**
 * Reads a PEM file (RFC 7468 textual encoding) line by line, so a bundle of any size is read in
 * memory bounded by its largest block. Text between blocks (OpenSSL's `subject=` lines) is
 * allowed and ignored. A PRIVATE KEY block is reported by its line and never decoded.
 */
export async function* readPem(input: SourceInput): AsyncGenerator<PemItem> {
  const counter = new ByteCounter({ stripBom: true });
  pipeline(input.open(), counter, () => undefined);
  const gate = new ProgressGate(8 << 20);
  const lines = createInterface({ input: counter, crlfDelay: Infinity });
  let open: Open | undefined;
  let n = 0;
  try {
    for await (const raw of lines) {
      n++;
      const text = raw.trim();
      const step = open ? inside(open, text, n) : outside(text, n);
      yield* step.items;
      open = step.open;
      const bytes = gate.due(counter.bytes);
      if (bytes !== undefined) yield { kind: 'progress', bytes };
    }
  } finally {
    // A caller that stops early must not leave the file open.
    lines.close();
    counter.destroy();
  }
  if (open && !open.isPrivate) {
    yield { kind: 'bad', label: open.label, line: open.line, why: 'no END line' };
  }
  yield { kind: 'progress', bytes: counter.bytes };
}

interface Step {
  readonly items: readonly PemItem[];
  readonly open: Open | undefined;
}

function outside(text: string, line: number): Step {
  const begin = BEGIN.exec(text);
  if (begin) return begun(begin[1]!, line, []);
  if (text.length >= 20 && looksLikeSecretValue(text)) {
    return { items: [{ kind: 'secret-line', line }], open: undefined };
  }
  return { items: [], open: undefined };
}

function inside(open: Open, text: string, line: number): Step {
  const begin = BEGIN.exec(text);
  if (begin) {
    // A new block before this one ended: this one is broken, the new one may be fine.
    const broken: PemItem = { kind: 'bad', label: open.label, line: open.line, why: 'no END line' };
    return begun(begin[1]!, line, open.isPrivate ? [] : [broken]);
  }
  const end = END.exec(text);
  if (end) {
    const item = finish(open, end[1]!);
    return { items: item ? [item] : [], open: undefined };
  }
  if (!open.isPrivate && !(open.headers && text.includes(':'))) {
    open.headers = false;
    if (text !== '') open.parts.push(text);
  }
  return { items: [], open };
}

function begun(label: string, line: number, before: PemItem[]): Step {
  const isPrivate = isPrivateKeyLabel(label);
  const open: Open = { label, line, isPrivate, parts: [], headers: true };
  return { items: isPrivate ? [...before, { kind: 'private-key', label, line }] : before, open };
}

/** `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH …`. */
export function isPrivateKeyLabel(label: string): boolean {
  return label.includes('PRIVATE KEY');
}

function finish(open: Open, endLabel: string): PemItem | undefined {
  // The private key was reported at its BEGIN line; its body was never kept.
  if (open.isPrivate) return undefined;
  const { label, line } = open;
  if (endLabel !== label) return { kind: 'bad', label, line, why: `END line says ${endLabel}` };
  const body = open.parts.join('');
  if (body.length === 0) return { kind: 'bad', label, line, why: 'empty block' };
  if (body.length % 4 !== 0 || !BASE64.test(body)) {
    return { kind: 'bad', label, line, why: 'the body is not Base64' };
  }
  return { kind: 'block', label, der: Buffer.from(body, 'base64'), line };
}
