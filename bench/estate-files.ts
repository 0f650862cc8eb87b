/**
 * The synthetic estate as export files (what `roster ingest` reads) and as raw records (what the
 * baseline inserts). Both come from the same generators, so they hold the same rows.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  accountExtras, reservationsOf, roleObject, rolesOf, userObject, usersOf,
} from './estate-aws.js';
import { CMDB_COLUMNS, cmdbServerRows, serviceAccountRows } from './estate-cmdb.js';
import { accountId, type EstatePlan } from './estate-plan.js';
import { REPORT_COLUMNS, reportRowsOf } from './estate-report.js';

/** One record of an export: a CSV row or one object of a JSON listing. */
export interface RawRecord {
  readonly format: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface EstateExport {
  readonly file: string;
  readonly format: string;
  /** The records of this export, generated afresh on each call. */
  records(): Iterable<RawRecord>;
  /** Writes the export into `dir`; returns its size in bytes. */
  write(dir: string): number;
}

export const FORMAT_ORDER = [
  'servicenow-cmdb',
  'aws-ec2-instances',
  'aws-iam-authorization-details',
  'aws-credential-report',
] as const;

export function estateExports(plan: EstatePlan): EstateExport[] {
  const out: EstateExport[] = [
    csvExport('cmdb-servers.csv', 'servicenow-cmdb', CMDB_COLUMNS, 'sys_id',
      () => cmdbServerRows(plan)),
    csvExport('cmdb-service-accounts.csv', 'servicenow-cmdb', CMDB_COLUMNS, 'sys_id',
      () => serviceAccountRows(plan)),
  ];
  for (let a = 0; a < plan.accounts; a++) out.push(ec2Export(plan, a));
  for (let a = 0; a < plan.accounts; a++) out.push(iamExport(plan, a));
  for (let a = 0; a < plan.accounts; a++) {
    out.push(csvExport(`credential-report-${accountId(a)}.csv`, 'aws-credential-report',
      REPORT_COLUMNS, 'arn', () => reportRowsOf(plan, a)));
  }
  return out;
}

function csvExport<C extends string>(
  file: string,
  format: string,
  columns: readonly C[],
  idColumn: C,
  rows: () => Iterable<Record<C, string>>,
): EstateExport {
  return {
    file,
    format,
    *records() {
      for (const fields of rows()) yield { format, id: fields[idColumn], fields };
    },
    write(dir) {
      const fd = openSync(join(dir, file), 'w');
      let bytes = 0;
      let buf = `${columns.join(',')}\n`;
      for (const row of rows()) {
        buf += `${columns.map((c) => csvCell(row[c])).join(',')}\n`;
        if (buf.length > 1 << 20) {
          bytes += writeSync(fd, buf);
          buf = '';
        }
      }
      bytes += writeSync(fd, buf);
      closeSync(fd);
      return bytes;
    },
  };
}

/** RFC 4180: quote a cell holding a comma, quote or line break; double inner quotes. */
function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The AWS CLI prints JSON indented by four spaces. */
function writeJson(dir: string, file: string, doc: unknown): number {
  const text = `${JSON.stringify(doc, null, 4)}\n`;
  writeFileSync(join(dir, file), text);
  return Buffer.byteLength(text);
}

function ec2Export(plan: EstatePlan, account: number): EstateExport {
  const format = 'aws-ec2-instances';
  return {
    file: `ec2-instances-${accountId(account)}.json`,
    format,
    *records() {
      for (const r of reservationsOf(plan, account)) {
        for (const inst of r['Instances'] as Record<string, unknown>[]) {
          yield { format, id: inst['InstanceId'] as string, fields: inst };
        }
      }
    },
    write(dir) {
      return writeJson(dir, this.file, { Reservations: reservationsOf(plan, account) });
    },
  };
}

function iamExport(plan: EstatePlan, account: number): EstateExport {
  const format = 'aws-iam-authorization-details';
  const users = () => [...usersOf(plan, account)].map((u) => userObject(plan, u));
  const roles = () => [...rolesOf(plan, account)].map((r) => roleObject(plan, r));
  return {
    file: `iam-authorization-details-${accountId(account)}.json`,
    format,
    *records() {
      for (const o of [...users(), ...roles()]) yield { format, id: o['Arn'] as string, fields: o };
    },
    write(dir) {
      const { GroupDetailList, Policies } = accountExtras(account);
      const doc = { UserDetailList: users(), GroupDetailList, RoleDetailList: roles(), Policies };
      return writeJson(dir, this.file, doc);
    },
  };
}
