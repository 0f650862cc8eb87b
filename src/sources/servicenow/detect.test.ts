import { describe, expect, it } from 'vitest';
import { detectServicenow } from './detect.js';

const detect = (head: string): number => detectServicenow({ path: 'f', head });

describe('servicenow-cmdb detection', () => {
  it('recognises CSV headers under field names or labels, with or without a BOM', () => {
    expect(detect('"sys_id","name","install_status"\n"a","b","1"')).toBe(0.9);
    expect(detect('\uFEFF"Sys ID","Name","Class","Status"\r\n')).toBe(0.9);
    expect(detect('sys_id,user_name,email,active\n')).toBe(0.9);
  });

  it('recognises Table API JSON and, less surely, wrapped records', () => {
    expect(detect('{"result":[{"sys_id":"x","sys_class_name":"cmdb_ci_server"}]}')).toBe(0.9);
    expect(detect('{\n  "result": {"sys_id": "x", "install_status": "1"}}')).toBe(0.9);
    const wrapped = '{"servicenow_ci": {"sys_class_name": "cmdb_ci_server", "sys_id": "x"}}';
    expect(detect(wrapped)).toBe(0.6);
  });

  it('says no to files that are not CMDB exports', () => {
    expect(detect('user,arn,user_creation_time\nroot,arn:aws:iam::1:root,2020')).toBe(0);
    expect(detect('"sys_id","number","short_description"\n')).toBe(0);
    expect(detect('{"Reservations": [{"Instances": []}]}')).toBe(0);
    expect(detect('{"result": [{"sys_id": "x", "number": "INC0010001"}]}')).toBe(0);
    expect(detect('')).toBe(0);
  });
});
