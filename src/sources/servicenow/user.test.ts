import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/helpers/parse.js';
import { servicenowCmdb } from './index.js';

// A made-up sys_user export under field names, and the same people from the Table API.
const usersCsv = [
  '"sys_id","user_name","name","email","active","title"',
  '"d0a1b2c3d4e5f60718293a4b5c6d7e8f","dana.whitfield","Dana Whitfield",' +
    '"Dana.Whitfield@acme.example","true","SRE lead"',
  '"e1b2c3d4e5f60718293a4b5c6d7e8f90","omar.haddad","Omar Haddad",' +
    '"omar.haddad@acme.example","false",""',
  '"f2c3d4e5f60718293a4b5c6d7e8f90a1","svc.backup","","","maybe",""',
].join('\n');

const SYS_ID = 'a9b8c7d6e5f40312a9b8c7d6e5f40312';

describe('servicenow-cmdb sys_user exports', () => {
  it('reads people as owner observations with their active flag', async () => {
    const r = await parseText(servicenowCmdb, 'sys_user.csv', usersCsv, { scope: 'acme' });
    expect(r.observations).toHaveLength(3);
    const [dana, omar] = r.observations;
    expect(dana).toEqual({
      kind: 'owner',
      sourceId: 'd0a1b2c3d4e5f60718293a4b5c6d7e8f',
      scope: 'servicenow:acme/sys_user',
      keys: [
        { type: 'owner', value: 'dana whitfield' },
        { type: 'owner', value: 'dana.whitfield' },
        { type: 'email', value: 'dana.whitfield@acme.example' },
        { type: 'cmdb-sys-id', value: 'd0a1b2c3d4e5f60718293a4b5c6d7e8f' },
      ],
      attributes: {
        'cmdb.title': 'SRE lead',
        name: 'Dana Whitfield',
        email: 'Dana.Whitfield@acme.example',
        active: true,
        ownerType: 'person',
      },
      line: 2,
    });
    expect(omar!.attributes['active']).toBe(false);
    expect(r.meta).toEqual({ scopes: ['servicenow:acme/sys_user'], complete: true });
  });

  it('names a user by login when nameless, and warns on an unreadable active flag', async () => {
    const r = await parseText(servicenowCmdb, 'sys_user.csv', usersCsv);
    const svc = r.observations[2]!;
    expect(svc.attributes).toEqual({ name: 'svc.backup', ownerType: 'person' });
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_ENUM', line: 4, field: 'active' }),
    ]);
  });

  it('reads sys_user Table API records with booleans as 1/0 and display_value=all', async () => {
    const text = JSON.stringify({
      result: [
        {
          sys_id: { display_value: SYS_ID, value: SYS_ID },
          sys_class_name: { display_value: 'User', value: 'sys_user' },
          first_name: { display_value: 'Lena', value: 'Lena' },
          last_name: { display_value: 'Sato', value: 'Sato' },
          active: { display_value: 'false', value: '0' },
        },
      ],
    });
    const r = await parseText(servicenowCmdb, 'users.json', text);
    expect(r.observations[0]).toMatchObject({
      kind: 'owner',
      keys: [
        { type: 'owner', value: 'lena sato' },
        { type: 'cmdb-sys-id', value: SYS_ID },
      ],
      attributes: { name: 'Lena Sato', active: false, ownerType: 'person' },
    });
  });

  it('refuses a user row carrying a password hash, naming only the field', async () => {
    const text = [
      '"sys_id","user_name","name","user_password","active"',
      '"b8c7d6e5f40312a9b8c7d6e5f40312a9","eve","Eve Adams","h4sh3dButStillAS3cret","true"',
      '"c7d6e5f40312a9b8c7d6e5f40312a9b8","fay","Fay Lin","","true"',
    ].join('\n');
    const r = await parseText(servicenowCmdb, 'u.csv', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({ line: 2, field: 'user_password', code: 'SECRET_REFUSED' }),
    ]);
    expect(r.observations.map((o) => o.attributes['name'])).toEqual(['Fay Lin']);
    expect(JSON.stringify(r)).not.toContain('h4sh3dButStillAS3cret');
  });
});
