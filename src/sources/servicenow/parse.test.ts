import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/helpers/parse.js';
import { servicenowCmdb } from './index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';

describe('servicenow-cmdb secrets', () => {
  it('refuses a row with a secret under a secret-like column, and keeps the others', async () => {
    const text = [
      '"sys_id","name","u_aws_secret_access_key"',
      `"0f1e2d3c4b5a69788796a5b4c3d2e1f0","bastion-1","${SECRET}"`,
      '"1e2d3c4b5a69788796a5b4c3d2e1f00f","bastion-2",""',
    ].join('\n');
    const r = await parseText(servicenowCmdb, 's.csv', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({
        file: 's.csv',
        line: 2,
        field: 'u_aws_secret_access_key',
        code: 'SECRET_REFUSED',
      }),
    ]);
    expect(r.observations.map((o) => o.attributes['name'])).toEqual(['bastion-2']);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('refuses a private key pasted into any field, even a multi-line description', async () => {
    const sysId = '2d3c4b5a69788796a5b4c3d2e1f00f1e';
    const record = { sys_id: sysId, name: 'x', short_description: PEM };
    const text = JSON.stringify({ result: [record] });
    const r = await parseText(servicenowCmdb, 'k.json', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({ item: 1, field: 'short_description', code: 'SECRET_REFUSED' }),
    ]);
    expect(JSON.stringify(r)).not.toContain('MIIEvQIBADANBg');
    expect(r.meta.complete).toBe(false);
  });
});

describe('servicenow-cmdb scope', () => {
  const csv =
    '"sys_id","name","sys_class_name"\n' +
    '"3c4b5a69788796a5b4c3d2e1f00f1e2d","h1","cmdb_ci_server"\n';

  it('uses options.scope as the instance when the file names none', async () => {
    const r = await parseText(servicenowCmdb, 'c.csv', csv, { scope: 'acme' });
    expect(r.meta.scopes).toEqual(['servicenow:acme/cmdb_ci_server']);
    expect(r.observations[0]!.scope).toBe('servicenow:acme/cmdb_ci_server');
  });

  it('takes an options.scope with a table as the whole scope', async () => {
    const r = await parseText(servicenowCmdb, 'c.csv', csv, { scope: 'acme/cmdb_ci_computer' });
    expect(r.meta.scopes).toEqual(['servicenow:acme/cmdb_ci_computer']);
  });

  it('falls back to the default instance', async () => {
    const r = await parseText(servicenowCmdb, 'c.csv', csv);
    expect(r.meta.scopes).toEqual(['servicenow:default/cmdb_ci_server']);
  });

  const mixed = csv + '"4b5a69788796a5b4c3d2e1f00f1e2d3c","h2","cmdb_ci_linux_server"\n';

  it('scopes an export of several classes to cmdb_ci, whatever its first row', async () => {
    const r = await parseText(servicenowCmdb, 'servers.csv', mixed);
    expect(r.meta.scopes).toEqual(['servicenow:default/cmdb_ci']);
    expect(new Set(r.observations.map((o) => o.scope))).toEqual(new Set(r.meta.scopes));
    const flipped = mixed.split('\n');
    [flipped[1], flipped[2]] = [flipped[2]!, flipped[1]!];
    const again = await parseText(servicenowCmdb, 'servers.csv', flipped.join('\n'));
    expect(again.meta.scopes).toEqual(['servicenow:default/cmdb_ci']);
  });

  it.each([
    ['cmdb_ci_server.csv', 'cmdb_ci_server'],
    ['exports/cmdb_ci_server (2).csv', 'cmdb_ci_server'],
    ['CMDB_CI.json', 'cmdb_ci'],
  ])('takes the table from the export\'s own file name %s', async (file, table) => {
    const r = await parseText(servicenowCmdb, file, mixed);
    expect(r.meta.scopes).toEqual([`servicenow:default/${table}`]);
  });

  it('lets a --scope with a table override the file name and the classes', async () => {
    const r = await parseText(servicenowCmdb, 'cmdb_ci_server.csv', mixed, {
      scope: 'acme/cmdb_ci_hardware',
    });
    expect(r.meta.scopes).toEqual(['servicenow:acme/cmdb_ci_hardware']);
  });

  it('gives the same observations when the same export is read twice', async () => {
    const a = await parseText(servicenowCmdb, 'c.csv', csv);
    const b = await parseText(servicenowCmdb, 'c.csv', csv);
    expect(b).toEqual(a);
  });
});
