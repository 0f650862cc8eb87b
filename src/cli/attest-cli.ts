import type { Command } from 'commander';
import type { App } from '../app.js';
import { lifecycleOf } from '../lifecycle-app.js';
import { attestationDue, type AttestationDue } from '../lifecycle/attestation.js';
import { attest } from '../lifecycle/operator.js';
import { RosterError } from '../model/errors.js';
import type { InventoryRecord } from '../model/record.js';
import { actorOf, oneRecord, type ActorFlags } from './admission-cli.js';
import { judgeAndSave, parseAsOf, runAfterIngest } from './ingest-command.js';
import type { CliContext } from './main.js';
import { parseOutputFormat, render } from './output.js';

interface AttestFlags extends ActorFlags {
  owner?: string;
  confirm?: boolean;
  all?: boolean;
  output?: string;
}

/** Every record due for attestation at `now`, optionally of one owner, most overdue first. */
export async function attestationList(
  app: App,
  now: string,
  owner?: string,
): Promise<{ due: AttestationDue; record: InventoryRecord }[]> {
  const c = app.config.lifecycle;
  const out: { due: AttestationDue; record: InventoryRecord }[] = [];
  const wanted = owner?.trim().toLowerCase();
  for await (const page of app.store.scanRecords()) {
    for (const record of page) {
      const due = attestationDue(record, c.attestationDays, c.attestationWarnDays, now);
      if (!due || (wanted && due.owner.toLowerCase() !== wanted)) continue;
      out.push({ due, record });
    }
  }
  return out.sort((a, b) => a.due.dueAt.localeCompare(b.due.dueAt));
}

export function registerAttest(program: Command, ctx: CliContext): void {
  program
    .command('attest')
    .description('owners confirm their assets and identities are still needed; else: what is due')
    .argument('[keys...]', 'records to attest (only with --confirm)')
    .option('--owner <owner>', 'only this owner; with --confirm and no keys: all of theirs due')
    .option('--confirm', 'record the attestation')
    .option('--all', 'list also those not yet due')
    .option('--by <name>', 'who attests (default: ROSTER_ACTOR or the login name)')
    .option('--reason <text>', 'a note kept with the attestation')
    .option('--now <time>', 'as of this instant instead of the clock')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (keys: string[], opts: AttestFlags) => {
      const app = await ctx.open();
      try {
        if (opts.confirm) await confirm(app, keys, opts, ctx);
        else if (keys.length > 0) await refuseUnconfirmed(app, keys, opts, ctx);
        else await list(app, opts, ctx);
      } finally {
        await app.close();
      }
    });
}

async function list(app: App, opts: AttestFlags, ctx: CliContext): Promise<void> {
  const now = ctx.clock(parseAsOf(opts.now, '--now')).now();
  const rows = (await attestationList(app, now, opts.owner))
    .filter((r) => opts.all || r.due.status !== 'ok');
  ctx.out(render(parseOutputFormat(opts.output), rows, [
    { header: 'STATUS', value: (r) => r.due.status },
    { header: 'DUE', value: (r) => r.due.dueAt.slice(0, 10) },
    { header: 'OWNER', value: (r) => r.due.owner },
    { header: 'KIND', value: (r) => r.due.kind },
    { header: 'NAME', value: (r) => r.due.name },
    { header: 'CRIT', value: (r) => r.due.criticality ?? '' },
    { header: 'SINCE', value: (r) => `${r.due.since.slice(0, 10)} (${r.due.basis})` },
    { header: 'ID', value: (r) => r.due.recordId },
  ], (r) => r.due, ctx.color));
}

/**
 * Keys without --confirm: each is looked up and checked as --confirm would (an unknown key is
 * an error naming it, a key several records hold is refused), then a usage error says to add
 * --confirm. Nothing is recorded, and the list of what is due is not printed instead.
 */
async function refuseUnconfirmed(app: App, keys: string[], opts: AttestFlags, ctx: CliContext) {
  const records = await attestable(app, keys, actorOf(opts, ctx).at);
  const names = records.map((r) => `${r.name} (${r.id})`).join(', ');
  throw new RosterError('BAD_INPUT', `nothing attested: add --confirm to attest ${names}; ` +
    "without keys, 'roster attest' lists what is due");
}

/** The records the keys name, each one that attestation applies to at `at`. */
async function attestable(app: App, keys: string[], at: string): Promise<InventoryRecord[]> {
  const records: InventoryRecord[] = [];
  for (const k of keys) records.push(await oneRecord(app, k));
  checkAttestable(app, records, at);
  return records;
}

function checkAttestable(app: App, records: readonly InventoryRecord[], at: string): void {
  const c = app.config.lifecycle;
  for (const r of records) {
    if (!attestationDue(r, c.attestationDays, c.attestationWarnDays, at)) {
      throw new RosterError('BAD_INPUT',
        `${r.name} (${r.id}) is not attested: only admitted, owned, in-use things are`);
    }
  }
}

async function confirm(app: App, keys: string[], opts: AttestFlags, ctx: CliContext) {
  const actor = actorOf(opts, ctx);
  let records: InventoryRecord[];
  if (keys.length > 0) {
    records = await attestable(app, keys, actor.at);
  } else if (opts.owner) {
    records = (await attestationList(app, actor.at, opts.owner))
      .filter((r) => r.due.status !== 'ok')
      .map((r) => r.record);
  } else {
    const message = 'attest --confirm needs keys, or --owner for all of theirs due';
    throw new RosterError('BAD_INPUT', message);
  }
  checkAttestable(app, records, actor.at);
  if (records.length === 0) {
    ctx.out('nothing to attest');
    return;
  }
  const result = await attest(lifecycleOf(app).ctx, records, actor);
  await judgeAndSave(app, actor.at);
  if (!(await runAfterIngest(app, [result.run.id], actor.at, ctx))) ctx.exitCode = 1;
  for (const r of records) ctx.out(`attested ${r.name} (${r.id}) by ${actor.by} at ${actor.at}`);
}
