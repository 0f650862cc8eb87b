import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Loads a config file with the given YAML; the error message when it is refused. */
function refusal(yaml: string): string {
  const file = join(dir, `roster-${n++}.config.yaml`);
  writeFileSync(file, yaml);
  try {
    loadConfig(file);
  } catch (err) {
    return (err as Error).message.replace(`${file}: `, '');
  }
  return 'accepted';
}

describe('roster.config.yaml refuses settings it does not know, at every level', () => {
  it('names the path of an unknown nested key', () => {
    expect(refusal('judge:\n  bogusField: 1\n')).toMatch(
      /^judge\.bogusField: unknown setting \(known: unusedDays, newCredentialGraceDays, /);
  });

  it('suggests the setting a typo was meant to be', () => {
    expect(refusal('judge:\n  rotationDay: 60\n'))
      .toBe('judge.rotationDay: unknown setting; did you mean rotationDays?');
    expect(refusal('lifecycle:\n  delivery:\n    maxAttempt: 3\n'))
      .toBe('lifecycle.delivery.maxAttempt: unknown setting; did you mean maxAttempts?');
    expect(refusal('decide:\n  trustBundles:\n    - { trustDomain: a.org, path: b, pth: c }\n'))
      .toBe('decide.trustBundles.0.pth: unknown setting; did you mean path?');
    expect(refusal('formats:\n  aws-ec2-instances: { timezon: UTC }\n'))
      .toBe('formats.aws-ec2-instances.timezon: unknown setting; did you mean timezone?');
    expect(refusal('judgee:\n  rotationDays: 60\n'))
      .toBe('judgee: unknown setting; did you mean judge?');
  });

  it('still accepts every known setting and reports wrong types by path', () => {
    expect(refusal('judge:\n  rotationDays: 60\nlifecycle:\n  delivery: { maxAttempts: 3 }\n'))
      .toBe('accepted');
    expect(loadConfig(writeAndName('judge: { rotationDays: 60 }\n')).judge.rotationDays).toBe(60);
    expect(refusal('judge:\n  rotationDays: soon\n'))
      .toBe('judge.rotationDays: Invalid input: expected number, received string');
  });

  it('refuses a format scope that names a family of scopes', () => {
    expect(refusal('formats:\n  fleet-hosts: { scope: "fleet:corp/*" }\n'))
      .toMatch(/^formats\.fleet-hosts\.scope: scope 'fleet:corp\/\*' ends in \/\*, which names/);
    expect(refusal('formats:\n  fleet-hosts: { scope: "fleet:corp" }\n')).toBe('accepted');
  });

  it('refuses an unknown format and types its format cannot read, by path', () => {
    expect(refusal('formats:\n  gcp: { timezone: UTC }\n'))
      .toMatch(/^formats\.gcp: unknown format 'gcp'; known formats: servicenow-cmdb, /);
    expect(refusal('formats:\n  gcp-asset-inventory: { types: [".*Instance"] }\n'))
      .toMatch(/^formats\.gcp-asset-inventory\.types: '\.\*Instance' is not a Cloud Asset/);
    expect(refusal('formats:\n  k8s: { types: [pdos] }\n'))
      .toMatch(/^formats\.k8s\.types: 'pdos' is not a kubectl resource/);
    expect(refusal('formats:\n  servicenow-cmdb: { types: [pods] }\n'))
      .toBe('formats.servicenow-cmdb.types: format servicenow-cmdb does not read types');
    expect(refusal('formats:\n  servicenow-cmdb: { timezone: Europe/Stokholm }\n'))
      .toBe("formats.servicenow-cmdb.timezone: unknown time zone 'Europe/Stokholm'");
    expect(refusal('formats:\n  k8s: { types: [po, deploy] }\n  gcp-asset-inventory: ' +
      "{ types: ['*'] }\n")).toBe('accepted');
  });
});

function writeAndName(yaml: string): string {
  const file = join(dir, `roster-${n++}.config.yaml`);
  writeFileSync(file, yaml);
  return file;
}
