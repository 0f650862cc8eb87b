import { describe, expect, it } from 'vitest';
import { coversScope, familyPrefix, ScopeCover, withoutCovered } from './scopes.js';

describe('scopes and families of scopes', () => {
  it('covers a scope by name, and every scope below a family', () => {
    const vm = 'gcp:p1/compute.googleapis.com/Instance';
    expect(coversScope(vm, vm)).toBe(true);
    expect(coversScope('gcp:p1/*', vm)).toBe(true);
    expect(coversScope('gcp:p1/compute.googleapis.com/*', vm)).toBe(true);
    expect(coversScope('gcp:p1/iam.googleapis.com/*', vm)).toBe(false);
    // The slash ends the prefix: project p1 is not project p10.
    expect(coversScope('gcp:p1/*', 'gcp:p10/compute.googleapis.com/Instance')).toBe(false);
    expect(coversScope('gcp:p1', vm)).toBe(false);
    const cover = new ScopeCover(['aws:1', 'gcp:p1/*', 'gcp:p2/iam.googleapis.com/*']);
    expect(cover.covers(vm)).toBe(true);
    expect(cover.covers('aws:1')).toBe(true);
    expect(cover.covers('gcp:p10/compute.googleapis.com/Instance')).toBe(false);
    expect(cover.covers('gcp:p2/iam.googleapis.com/ServiceAccount')).toBe(true);
    expect(cover.covers('gcp:p2/compute.googleapis.com/Instance')).toBe(false);
    expect(cover.covers('gcp:p1/iam.googleapis.com/*')).toBe(true);
  });

  it('reads only a trailing /* as a family; _ and % are plain characters', () => {
    expect(familyPrefix('gcp:p1/*')).toBe('gcp:p1/');
    expect(familyPrefix('/*')).toBeUndefined();
    expect(familyPrefix('gcp:p1*')).toBeUndefined();
    expect(coversScope('gcp:p_1/*', 'gcp:pX1/a.googleapis.com/B')).toBe(false);
  });

  it('says two runs overlap when one covers a scope of the other', () => {
    const overlap = (a: string[], b: string[]) => new ScopeCover(a).overlaps(b);
    expect(overlap(['gcp:p1/*'], ['gcp:p1/iam.googleapis.com/ServiceAccount'])).toBe(true);
    expect(overlap(['gcp:p1/iam.googleapis.com/ServiceAccount'], ['gcp:p1/*'])).toBe(true);
    expect(overlap(['gcp:p1/compute.googleapis.com/*'], ['gcp:p1/*'])).toBe(true);
    expect(overlap(['gcp:p1/*'], ['gcp:p1/compute.googleapis.com/*'])).toBe(true);
    expect(overlap(['gcp:p1/a.googleapis.com/X'], ['gcp:p1/b.googleapis.com/Y'])).toBe(false);
    expect(overlap(['gcp:p10/a.googleapis.com/X', 'gcp:p0/x'], ['gcp:p1/*'])).toBe(false);
  });

  it('drops from a run the scopes a family of it covers already', () => {
    expect(withoutCovered(['gcp:p2/a.googleapis.com/X', 'gcp:p1/b.googleapis.com/Y',
      'gcp:p1/*', 'gcp:p1/*'])).toEqual(['gcp:p1/*', 'gcp:p2/a.googleapis.com/X']);
  });
});
