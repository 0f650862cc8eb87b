/**
 * The estate the decision benchmark decides over: N assets from a CMDB (the system of record),
 * workload identities with SPIFFE IDs, owners from a directory (some inactive), EC2-style and
 * SPIRE-style discovery (some sightings too old), and the judge's findings. Everything goes
 * through Roster's real ingest (`reconcile/ingest`) and judge into a SQLite file, which the
 * decision point then loads through its facts feed, as `roster serve` does.
 */
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { openApp, type App } from '../../src/app.js';
import { judgeAndSave } from '../../src/cli/ingest-command.js';
import { fixedClock } from '../../src/model/time.js';
import type { Observation } from '../../src/model/types.js';
import { ingest } from '../../src/reconcile/ingest.js';
import type { ParseEvent, SourceFormat, SourceInput } from '../../src/sources/format.js';

/** The instant of the newest runs and of every decision. */
export const NOW = '2026-12-01T12:00:00.000Z';
const RECENT = '2026-12-01T06:00:00.000Z';
const OLD = '2026-11-20T06:00:00.000Z';

const OWNERS = 400;
const ENVIRONMENTS = ['production', 'production', 'production', 'staging', 'development'];
const CRITICALITY = ['low', 'low', 'low', 'low', 'medium', 'medium', 'medium', 'high', 'high',
  'critical'];

export interface EstateShape {
  readonly assets: number;
  readonly workloads: number;
  readonly owners: number;
}

export function shapeOf(assets: number): EstateShape {
  return { assets, workloads: Math.round(assets / 10), owners: OWNERS };
}

/** Instance ids are 17 hex digits, derived from the index. */
export function instanceId(i: number): string {
  return `i-${(0x10000000000000 + i * 7919).toString(16).padStart(17, '0')}`;
}

export const hostName = (i: number): string => `host-${i}`;
export const spiffeId = (j: number): string =>
  `spiffe://bench.example/ns/${ENVIRONMENTS[j % 5]}/sa/svc-${j}`;
/** Assets with an EC2 instance behind them: 7 in 10. */
export const inCloud = (i: number): boolean => i % 10 < 7;
/** Cloud assets whose only sighting is eleven days old: 1 in 20 of them. */
const seenLongAgo = (i: number): boolean => i % 20 === 3;

function ownerRel(i: number): Observation['relations'] {
  if (i % 33 === 0) return [];
  return [{ type: 'owned-by', target: { type: 'owner', value: `owner-${i % OWNERS}` } }];
}

function assetRow(i: number): Observation {
  const cloud = inCloud(i);
  const retired = i % 50 === 0;
  return {
    kind: 'asset',
    sourceId: `ci-${i}`,
    scope: 'cmdb:cmdb_ci_server',
    keys: [
      { type: 'cmdb-sys-id', value: `ci-${i}` },
      { type: 'hostname', value: hostName(i) },
      ...(cloud ? [{ type: 'aws-instance-id' as const, value: instanceId(i) }] : []),
    ],
    attributes: {
      name: hostName(i),
      class: cloud ? 'aws-ec2-instance' : 'server',
      admission: retired ? 'retired' : 'approved',
      lifecycle: retired ? 'retired' : 'in-service',
      environment: ENVIRONMENTS[i % 5]!,
      criticality: CRITICALITY[Math.floor(i / 5) % 10]!,
      ...(i % 33 === 0 ? {} : { owner: `owner-${i % OWNERS}` }),
    },
    relations: ownerRel(i),
  };
}

function workloadRow(j: number): Observation {
  return {
    kind: 'identity',
    sourceId: `wl-${j}`,
    scope: 'cmdb:cmdb_ci_service',
    keys: [{ type: 'cmdb-sys-id', value: `wl-${j}` }, { type: 'spiffe-id', value: spiffeId(j) }],
    attributes: {
      name: `svc-${j}`,
      identityType: 'workload',
      admission: 'approved',
      lifecycle: 'in-service',
      environment: ENVIRONMENTS[j % 5]!,
      criticality: CRITICALITY[j % 10]!,
      ...(j % 33 === 0 ? {} : { owner: `owner-${j % OWNERS}` }),
    },
    relations: ownerRel(j),
  };
}

function* cmdbRows(shape: EstateShape): Iterable<Observation> {
  for (let i = 0; i < shape.assets; i++) yield assetRow(i);
  for (let j = 0; j < shape.workloads; j++) yield workloadRow(j);
}

function* ownerRows(shape: EstateShape): Iterable<Observation> {
  for (let o = 0; o < shape.owners; o++) {
    yield {
      kind: 'owner',
      sourceId: `u-${o}`,
      scope: 'directory:bench',
      keys: [
        { type: 'owner', value: `owner-${o}` },
        { type: 'email', value: `owner-${o}@bench.example` },
      ],
      attributes: { name: `Owner ${o}`, active: o % 20 !== 7 },
    };
  }
}

function* ec2Rows(shape: EstateShape, old: boolean): Iterable<Observation> {
  for (let i = 0; i < shape.assets; i++) {
    if (!inCloud(i) || seenLongAgo(i) !== old) continue;
    yield {
      kind: 'asset',
      sourceId: instanceId(i),
      scope: old ? 'aws:111122223333:eu-north-1' : 'aws:111122223333:eu-west-1',
      keys: [{ type: 'aws-instance-id', value: instanceId(i) }],
      attributes: { name: hostName(i), runState: 'running' },
    };
  }
}

function* spireRows(shape: EstateShape): Iterable<Observation> {
  for (let j = 0; j < shape.workloads; j++) {
    if (j % 25 === 11) continue; // registered in the CMDB, never seen by SPIRE
    yield {
      kind: 'identity',
      sourceId: `entry-${j}`,
      scope: 'spire:bench.example',
      keys: [{ type: 'spiffe-id', value: spiffeId(j) }],
      attributes: { identityType: 'workload' },
    };
  }
}

/** A source whose "file" is generated on the fly; the rest of the ingest is Roster's own. */
function generated(name: string, source: string, sor: boolean, rows: () => Iterable<Observation>,
  asOf: string): [SourceFormat, SourceInput] {
  const format: SourceFormat = {
    name,
    source,
    systemOfRecord: sor,
    description: 'generated for bench:decide',
    example: '',
    detect: () => 0,
    async *parse(): AsyncIterable<ParseEvent> {
      yield { type: 'meta', meta: { asOf } };
      for (const observation of rows()) yield { type: 'observation', observation };
    },
  };
  return [format, { path: `generated:${name}`, head: '', open: () => Readable.from([]) }];
}

export interface BuiltEstate {
  readonly app: App;
  readonly records: number;
  readonly findings: number;
  readonly seconds: number;
}

/** Opens an estate a previous run built and kept (`--keep`, then `--estate DIR`). */
export async function openEstate(dir: string): Promise<BuiltEstate> {
  const config = join(dir, 'roster.config.yaml');
  const app = await openApp({ db: join(dir, 'roster.db'), config });
  const counts = await app.store.countRecords();
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  const open = await app.store.listFindings({ status: 'open', limit: 10_000_000 });
  return { app, records, findings: open.length, seconds: 0 };
}

/** Ingests and judges the estate into `dir/roster.db`; the caller closes the app. */
export async function buildEstate(dir: string, shape: EstateShape): Promise<BuiltEstate> {
  const start = process.hrtime.bigint();
  const config = join(dir, 'roster.config.yaml');
  const app = await openApp({ db: join(dir, 'roster.db'), config });
  const runs = [
    generated('bench-directory', 'directory', false, () => ownerRows(shape), RECENT),
    generated('bench-cmdb', 'cmdb', true, () => cmdbRows(shape), RECENT),
    generated('bench-ec2-old', 'aws', false, () => ec2Rows(shape, true), OLD),
    generated('bench-ec2', 'aws', false, () => ec2Rows(shape, false), RECENT),
    generated('bench-spire', 'spire', false, () => spireRows(shape), RECENT),
  ];
  for (const [format, input] of runs) {
    const asOf = format.name === 'bench-ec2-old' ? OLD : RECENT;
    const result = await ingest(app.store, format, input, {
      rules: app.config.precedence,
      clock: fixedClock(asOf),
    });
    if (result.rejections.length > 0) {
      throw new Error(`${format.name}: ${result.rejections[0]!.message}`);
    }
  }
  const judged = await judgeAndSave(app, NOW);
  const counts = await app.store.countRecords();
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { app, records, findings: judged.open, seconds };
}
