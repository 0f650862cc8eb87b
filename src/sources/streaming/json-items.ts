/** One JSON value read from an input, with where it was found. */
export interface JsonRecord {
  readonly value: unknown;
  /**
   * 1-based line for JSON lines; 1-based record number inside a document otherwise
   * (a streamed document has no useful line numbers).
   */
  readonly line: number;
  /**
   * Fields of the enclosing document read before this record: the `@odata.context` of a Graph
   * list, the `count` of a NetBox page. Empty for JSON lines.
   */
  readonly envelope: Readonly<Record<string, unknown>>;
}

/** What the JSON readers yield, in input order. */
export type JsonItem =
  | { readonly kind: 'record'; readonly record: JsonRecord }
  /**
   * End of one top-level document, with all its non-streamed fields (e.g. `next` links);
   * `listed` tells whether its records came from an array (a list) or the document is one.
   */
  | {
      readonly kind: 'end';
      readonly envelope: Readonly<Record<string, unknown>>;
      readonly listed: boolean;
    }
  | { readonly kind: 'error'; readonly line?: number; readonly message: string }
  | { readonly kind: 'progress'; readonly bytes: number };

/** A path of object keys from a document's root to an array whose elements are records. */
export type ArrayPath = readonly string[];

/** Splits a dotted records path (`data.items`) into an ArrayPath; '' is the root. */
export function parsePath(dotted: string): ArrayPath {
  return dotted === '' ? [] : dotted.split('.');
}
