import type { FieldLimits } from '../model/field-guard.js';
import type { Observation, Rejection, RunMeta, Warning } from '../model/types.js';

/** What a parser is given. Parsers stream `open()`, so large files stay in bounded memory. */
export interface SourceInput {
  /** Path as the user gave it; used in every message. */
  readonly path: string;
  /** The first bytes of the file (up to 64 KiB), decoded as UTF-8, for detection. */
  readonly head: string;
  /** Opens the whole file as a byte stream (may be called once). */
  open(): NodeJS.ReadableStream;
  /**
   * Throws when what `open()` gave turned out unreadable as a whole (a byte that is not
   * UTF-8): ingest asks after parsing, and on a parser's error, before anything is committed.
   */
  verify?(): void;
}

/** Options a user may pass to any parser. */
export interface ParseOptions {
  /** Scope to use when the input does not say (e.g. a cluster name, a CMDB instance). */
  readonly scope?: string;
  /** IANA zone for times written without an offset. */
  readonly timezone?: string;
  /**
   * The run's as-of should the export not say when it was made (given by ingest: --as-of,
   * else the file's mtime, else the clock). A format whose rows date past events checks them
   * against the export's own time, else this one: a past event later than it is a
   * `FUTURE_TIME` warning, in every form of the format alike.
   */
  readonly runAsOf?: string;
  /**
   * The latest as-of a run may take: the clock plus the skew allowed (given by ingest; later
   * is refused, see run-as-of.ts). A format that dates its run from its rows' own times (the
   * newest osquery result) passes over a row time later than this, with a warning: one
   * endpoint's clock ahead must not refuse every host of the file.
   */
  readonly latestAsOf?: string;
  /** Mapping file contents for `mapped-csv` / `mapped-json` and CMDB column mappings. */
  readonly mapping?: unknown;
  /**
   * Longest key and value a row may hold (roster.config.yaml `ingest`); defaults apply. Ingest
   * refuses any observation past them; a format asks {@link storable} before it derives other
   * records (owners) from a row, so that a refused row leaves nothing behind.
   */
  readonly limits?: FieldLimits;
  /**
   * The object types the export was asked for, as its source names them: gcloud's
   * `--asset-types`, the resources of `kubectl get`. A format that reads lists of several
   * types ({@link SourceFormat.takesTypes}) then covers each of them wherever its export
   * reaches, rows or none; without them a complete run covers only the types it lists.
   */
  readonly types?: readonly string[];
}

/**
 * A comma-separated list of types as a user writes it (`--types pods,deployments`), trimmed,
 * empty entries dropped.
 *
 * @example
 * splitTypes('compute.googleapis.com/Instance, iam.googleapis.com/ServiceAccount');
 */
export function splitTypes(raw: string): string[] {
  return raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/** A parser yields these, in any order; `meta` may come at any point (e.g. at the end). */
export type ParseEvent =
  | { readonly type: 'observation'; readonly observation: Observation }
  | { readonly type: 'reject'; readonly rejection: Rejection }
  | { readonly type: 'warning'; readonly warning: Warning }
  | { readonly type: 'meta'; readonly meta: RunMeta }
  | { readonly type: 'progress'; readonly bytes: number };

/**
 * One input format Roster reads. A format belongs to a source (the system that wrote it), and
 * the source decides which attributes it wins in reconciliation.
 *
 * @example
 * export const awsEc2Instances: SourceFormat = {
 *   name: 'aws-ec2-instances', source: 'aws', ...
 * };
 */
export interface SourceFormat {
  /** Format name used by `--format` (e.g. `aws-ec2-instances`). */
  readonly name: string;
  /** Source name used by precedence rules (e.g. `aws`, `cmdb`, `k8s`). */
  readonly source: string;
  /** Whether this format is a system of record that admits assets (CMDB, NetBox, mapped). */
  readonly systemOfRecord: boolean;
  /**
   * Whether the format reads {@link ParseOptions.types}: it reads lists of several object
   * types, one scope per type listed. Ingest warns when types are given to another format.
   */
  readonly takesTypes?: boolean;
  /**
   * Reads the types given as the parser will, throwing the parser's RosterError (field
   * `types`) for one it cannot read: lets a config, a watched source or `--format … --types`
   * be refused before any file is read. Set by the formats that take types.
   */
  readonly checkTypes?: (given: readonly string[]) => void;
  /** One line for `roster sources`. */
  readonly description: string;
  /** An example command for `roster sources` and the docs. */
  readonly example: string;
  /**
   * Confidence (0..1) that the input is in this format, from its head alone. 0 means no.
   * Detection takes the highest; ties are an error asking for `--format`.
   */
  detect(input: Pick<SourceInput, 'path' | 'head'>): number;
  /** Reads the input. Must not throw for bad rows: yield a `reject` and carry on. */
  parse(input: SourceInput, options: ParseOptions): AsyncIterable<ParseEvent>;
}
