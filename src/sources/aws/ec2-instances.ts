import type { Observation } from '../../model/types.js';
import { byItem } from '../streaming/events.js';
import { headText, readText, storable } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { convertInstance } from './ec2-instance.js';
import { secretMessage } from './credential-report-row.js';
import { parseBoundedJson } from './bounded-json.js';
import {
  isObject,
  listOf,
  unwrapResponse,
  type JsonObject,
} from './json-document.js';
import { OwnerSet } from './owner.js';
import {
  fileRejection,
  NOTHING_READ,
  RecordIssues,
  rejectEvent,
  warningEvent,
} from './record-issues.js';
import { findSecretFieldsOutside } from './secret-scan.js';

function detect({ head }: Pick<SourceInput, 'head'>): number {
  const text = headText(head);
  return text.startsWith('{') && /"Reservations"\s*:\s*\[/.test(text) ? 0.9 : 0;
}

/** Everything one file yields, gathered so that a repeated instance id keeps its last entry. */
class Ec2Run {
  readonly assets = new Map<string, Observation>();
  readonly owners: Observation[] = [];
  readonly events: ParseEvent[] = [];
  readonly #ownerSet = new OwnerSet();
  readonly #options: ParseOptions;
  rejected = false;

  constructor(options: ParseOptions) {
    this.#options = options;
  }

  add(raw: unknown, ownerId: unknown, issues: RecordIssues, line: number): void {
    const result = convertInstance(raw, ownerId, issues, line);
    if ('asset' in result) this.#keep(result.asset, issues);
    this.events.push(...issues.warnings.map(warningEvent));
    if (!('asset' in result)) {
      this.rejected = true;
      this.events.push(rejectEvent(result));
      return;
    }
    const { asset, owner } = result;
    // An instance ingest will refuse leaves nothing behind: not the owner its tag names.
    if (!owner || !storable(asset, this.#options)) return;
    const first = this.#ownerSet.firstSighting(owner, asset.scope, line);
    if (first) this.owners.push(first);
  }

  #keep(asset: Observation, issues: RecordIssues): void {
    const earlier = this.assets.get(asset.sourceId);
    if (earlier) {
      const message = `instance ${asset.sourceId} appears again (first as record ${earlier.line})`;
      issues.warn('DUPLICATE_RECORD', 'InstanceId', `${message}; this record wins`);
      this.assets.delete(asset.sourceId);
    }
    this.assets.set(asset.sourceId, asset);
  }
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const doc = parseBoundedJson(input.path, await readText(input));
  const payload = doc.ok
    ? unwrapResponse(doc.value, (o) => Array.isArray(o['Reservations']))
    : undefined;
  if (!payload) {
    const message = 'not a DescribeInstances response: no Reservations list';
    yield rejectEvent(doc.ok ? fileRejection(input.path, 'BAD_INPUT', message) : doc.rejection);
    return yield NOTHING_READ;
  }
  const run = new Ec2Run(options);
  let line = 0;
  for (const reservation of listOf(payload, 'Reservations') ?? []) {
    const r = isObject(reservation) ? reservation : {};
    for (const inst of listOf(r, 'Instances') ?? []) {
      line++;
      run.add(inst, r['OwnerId'], new RecordIssues(input.path, line), line);
    }
  }
  yield* outsideSecrets(input.path, payload);
  yield* run.events;
  yield* [...run.assets.values(), ...run.owners].map(
    (observation): ParseEvent => ({ type: 'observation', observation }),
  );
  yield* finish(input.path, payload['NextToken'], run, options);
}

/** Secrets in the response around the instances (each instance is checked on its own). */
function outsideSecrets(file: string, payload: JsonObject): ParseEvent[] {
  const reservations = (listOf(payload, 'Reservations') ?? []).map((r) =>
    isObject(r) ? { ...r, Instances: undefined } : r,
  );
  const fields = findSecretFieldsOutside({ ...payload, Reservations: reservations }, []);
  const issues = new RecordIssues(file);
  return fields.map((f) => rejectEvent(issues.reject('SECRET_REFUSED', f, secretMessage(f))));
}

/**
 * A page with a `NextToken` is not the whole listing, and a rejected instance was not seen:
 * either makes the run partial, so nothing is marked missing (DESIGN.md rule 3).
 */
function* finish(file: string, nextToken: unknown, run: Ec2Run, options: ParseOptions) {
  const truncated = typeof nextToken === 'string' && nextToken !== '';
  if (truncated) {
    const issues = new RecordIssues(file);
    issues.warn('TRUNCATED_LISTING', 'NextToken', 'one page of a longer listing: run is partial');
    yield* issues.warnings.map(warningEvent);
  }
  const scopes = new Set([...run.assets.values()].map((a) => a.scope));
  // An empty listing names no account: only a scope given by the user can then be covered.
  if (scopes.size === 0 && options.scope) scopes.add(options.scope);
  const meta = { scopes: [...scopes].sort(), complete: !truncated && !run.rejected };
  yield { type: 'meta', meta } satisfies ParseEvent;
}

/**
 * EC2 instances from `aws ec2 describe-instances` (CLI v1 or v2 JSON, or a recorded response
 * inside a `data` envelope): one asset per instance with its addresses, state and tags.
 *
 * @example aws ec2 describe-instances --region eu-west-1 > instances.json
 */
export const awsEc2Instances: SourceFormat = {
  name: 'aws-ec2-instances',
  source: 'aws',
  systemOfRecord: false,
  description: 'AWS EC2 instances from describe-instances: assets, addresses, tags, owners',
  example: 'aws ec2 describe-instances --region eu-west-1 > instances.json',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
