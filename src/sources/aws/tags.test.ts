import { describe, expect, it } from 'vitest';
import { RecordIssues } from './record-issues.js';
import { tagFacts } from './tag-facts.js';
import {
  findTag,
  normalizeCriticality,
  normalizeEnvironment,
  readTags,
  tagAttributes,
} from './tags.js';

describe('normalizeEnvironment', () => {
  it.each([
    ['prod', 'production'],
    ['PRD', 'production'],
    ['Production', 'production'],
    ['stg', 'staging'],
    ['Stage', 'staging'],
    ['staging', 'staging'],
    ['QA', 'test'],
    ['test', 'test'],
    ['uat', 'test'],
    ['dev', 'development'],
    ['Development', 'development'],
    ['DR', 'dr'],
    [' sandbox ', 'sandbox'],
  ])('reads %s as %s', (raw, expected) => {
    expect(normalizeEnvironment(raw)).toBe(expected);
  });
});

describe('normalizeCriticality', () => {
  it.each([
    ['critical', 'critical'],
    ['Tier0', 'critical'],
    ['tier-0', 'critical'],
    ['1', 'critical'],
    ['HIGH', 'high'],
    ['Tier 1', 'high'],
    ['2', 'high'],
    ['medium', 'medium'],
    ['tier2', 'medium'],
    ['3', 'medium'],
    ['Low', 'low'],
    ['4', 'low'],
  ])('reads %s as %s', (raw, expected) => {
    expect(normalizeCriticality(raw)).toBe(expected);
  });

  it('gives nothing for values off the scale', () => {
    expect(normalizeCriticality('urgent')).toBeUndefined();
    expect(normalizeCriticality('5')).toBeUndefined();
  });
});

describe('findTag', () => {
  it('matches keys in any case and common spellings, in order of preference', () => {
    const tags = readTags([
      { Key: 'team', Value: 'payments' },
      { Key: 'OWNER_EMAIL', Value: 'pay@example.com' },
    ]).tags;
    expect(findTag(tags, 'owner')).toEqual({ key: 'OWNER_EMAIL', value: 'pay@example.com' });
  });

  it('treats NULL, None and empty values as no value and falls through to the next', () => {
    const tags = readTags([
      { Key: 'Application', Value: 'NULL' },
      { Key: 'Purpose', Value: 'None' },
      { Key: 'Service', Value: ' billing ' },
      { Key: 'Env', Value: '' },
    ]).tags;
    expect(findTag(tags, 'purpose')).toEqual({ key: 'Service', value: 'billing' });
    expect(findTag(tags, 'environment')).toBeUndefined();
  });
});

describe('readTags', () => {
  it('keeps key/value pairs in order and counts malformed entries', () => {
    const r = readTags([{ Key: 'a', Value: '1' }, { Value: 'x' }, 'junk', { Key: 'b' }]);
    expect(r.tags).toEqual([
      ['a', '1'],
      ['b', ''],
    ]);
    expect(r.skipped).toBe(2);
  });
});

describe('tagAttributes', () => {
  it('keeps every tag as aws.tag.<Key>, including keys with spaces and NULL values', () => {
    const attrs = tagAttributes([
      ['Cost Center', 'cc-1'],
      ['Project', 'NULL'],
    ]);
    expect(attrs['aws.tag.Cost Center']).toBe('cc-1');
    expect(attrs['aws.tag.Project']).toBe('NULL');
    expect(attrs['tags']).toEqual(['Cost Center=cc-1', 'Project=NULL']);
  });
});

describe('tagFacts', () => {
  it('derives environment, criticality, purpose and an e-mail owner', () => {
    const issues = new RecordIssues('f.json', 1);
    const facts = tagFacts(
      [
        ['Stage', 'prd'],
        ['BusinessCriticality', 'tier-1'],
        ['Purpose', 'checkout'],
        ['Contact', 'Ops@Example.com'],
      ],
      issues,
    );
    expect(facts.attributes).toEqual({
      environment: 'production',
      criticality: 'high',
      purpose: 'checkout',
      owner: 'Ops@Example.com',
    });
    expect(facts.relations).toEqual([
      { type: 'owned-by', target: { type: 'email', value: 'ops@example.com' } },
    ]);
    expect(issues.warnings).toEqual([]);
  });

  it('names a team owner by the owner key and marks it a team', () => {
    const facts = tagFacts([['Team', 'Data Platform']], new RecordIssues('f.json', 1));
    expect(facts.relations[0]?.target).toEqual({ type: 'owner', value: 'data platform' });
    expect(facts.owner?.ownerType).toBe('team');
  });

  it('warns about a criticality off the scale and leaves it out', () => {
    const issues = new RecordIssues('f.json', 4);
    const facts = tagFacts([['criticality', 'urgent']], issues);
    expect(facts.attributes['criticality']).toBeUndefined();
    expect(issues.warnings).toMatchObject([
      { code: 'UNKNOWN_VALUE', field: 'Tags.criticality', line: 4, file: 'f.json' },
    ]);
  });
});
