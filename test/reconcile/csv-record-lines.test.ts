import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { awsCredentialReport } from '../../src/sources/aws/credential-report.js';
import { mappedCsvFormat } from '../../src/sources/mapped/mapped-formats.js';
import { loadMapping } from '../../src/sources/mapped/mapping-schema.js';
import { servicenowCmdb } from '../../src/sources/servicenow/index.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';
import { parseText } from '../helpers/parse.js';

/** Every CSV reader names the line a record starts on, and says a broken header once. */
describe('CSV readers place problems by the line a record starts on', () => {
  it('aws-credential-report: a bad time in a row whose first cell spans two lines', async () => {
    const twoLines = reportRow('bc', 'garbage').replace(/^bc,/, '"b\nc",');
    const text = [REPORT_HEADER, reportRow('a', '2026-01-01T00:00:00+00:00'), twoLines,
      reportRow('d', 'garbage')].join('\n');
    const r = await parseText(awsCredentialReport, 'report.csv', text);
    expect(r.rejections.map((j) => [j.line, j.field])).toEqual([
      [3, 'access_key_1_last_rotated'], [5, 'access_key_1_last_rotated']]);
  });

  it('mapped-csv: a row with a multi-line comment and no id', async () => {
    const mapping = loadMapping('examples/mappings/glpi-computers.yaml');
    const lines = readFileSync('examples/mapped/glpi-computers.csv', 'utf8').split('\n');
    const noId = lines[1]!.replace(/^101;/, ';').replace(/;[^;]*$/, ';"first\nsecond\nthird"');
    const text = [lines[0], lines[2], noId, lines[3]].join('\n');
    const r = await parseText(mappedCsvFormat, 'glpi.csv', text, { mapping });
    expect(r.rejections.map((j) => [j.line, j.code])).toEqual([[3, 'MISSING_KEY']]);
    expect(r.observations.filter((o) => o.kind === 'asset').map((o) => o.line)).toEqual([2, 6]);
  });

  it('says an unreadable header once, as the reason nothing was read', async () => {
    const cmdb = await parseText(servicenowCmdb, 'cmdb_ci_server.csv',
      'sys_id,"name\n0a1b2c3d4e5f60718293a4b5c6d7e8f1,app-01\n');
    expect(cmdb.rejections.map((j) => [j.line, j.code])).toEqual([[1, 'BAD_CSV']]);
    expect(cmdb.rejections[0]!.message).toMatch(/^the header record is unreadable: /);
    const report = await parseText(awsCredentialReport, 'report.csv',
      `${REPORT_HEADER.replace('user,arn', 'user,"arn')}\n${reportRow('a', 'N/A')}\n`);
    expect(report.rejections.map((j) => [j.line, j.code])).toEqual([[1, 'BAD_CSV']]);
    expect(cmdb.observations).toEqual([]);
    expect(report.observations).toEqual([]);
  });
});

describe('a CSV header that cannot be the export says so once', () => {
  it('servicenow-cmdb: a header separated by semicolons', async () => {
    const cmdb = readFileSync('examples/estate/cmdb-servers.csv', 'utf8').replaceAll(',', ';');
    const r = await parseText(servicenowCmdb, 'cmdb_ci_server.csv', cmdb);
    expect(r.rejections.map((j) => [j.line, j.code, j.message])).toEqual([[1, 'BAD_HEADER',
      "the header is one column separated by ';', not by commas: export the table again as " +
      'CSV; nothing was read']]);
    expect(r.observations).toEqual([]);
    expect(r.meta.complete).toBe(false);
  });

  it('mapped-csv: a comma export read with a semicolon mapping, or without the id column',
    async () => {
    const mapping = loadMapping('examples/mappings/glpi-computers.yaml');
    const glpi = readFileSync('examples/mapped/glpi-computers.csv', 'utf8');
    const commas = await parseText(mappedCsvFormat, 'glpi.csv', glpi.replaceAll(';', ','),
      { mapping });
    expect(commas.rejections.map((j) => [j.line, j.code, j.message])).toEqual([[1, 'BAD_HEADER',
      "the header is one column separated by ',', not by ';' (set csv.delimiter in the " +
      'mapping); nothing was read']]);
    const noId = await parseText(mappedCsvFormat, 'glpi.csv', glpi.replace(/^id;/, 'ident;'),
      { mapping });
    expect(noId.rejections.map((j) => [j.line, j.code, j.message])).toEqual([[1, 'BAD_HEADER',
      "the header has no column 'id', the mapping's id; nothing was read"]]);
    expect([...commas.observations, ...noId.observations]).toEqual([]);
  });
});
