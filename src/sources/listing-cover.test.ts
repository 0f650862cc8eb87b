import { describe, expect, it } from 'vitest';
import { RosterError } from '../model/errors.js';
import { ListingCover, MAX_GIVEN_LISTINGS } from './listing-cover.js';

describe('ListingCover', () => {
  it('covers what it listed where it listed it, and each type given in every place', () => {
    const cover = new ListingCover();
    cover.list('gcp:p1', 'iam.googleapis.com/ServiceAccount');
    cover.list('gcp:p2', 'compute.googleapis.com/Instance');
    cover.list('gcp:p1', 'iam.googleapis.com/ServiceAccount');
    expect(cover.places()).toEqual(['gcp:p1', 'gcp:p2']);
    expect(cover.covered([])).toEqual([
      'gcp:p1/iam.googleapis.com/ServiceAccount', 'gcp:p2/compute.googleapis.com/Instance',
    ]);
    expect(cover.covered(['compute.googleapis.com/*'])).toEqual([
      'gcp:p1/compute.googleapis.com/*', 'gcp:p1/iam.googleapis.com/ServiceAccount',
      'gcp:p2/compute.googleapis.com/*', 'gcp:p2/compute.googleapis.com/Instance',
    ]);
  });

  it('refuses more listings from the types given than a run may hold, naming types', () => {
    const cover = new ListingCover();
    const places = 1_001;
    for (let i = 0; i < places; i++) cover.list(`gcp:p${i}`, 'compute.googleapis.com/Instance');
    const types = (n: number) => Array.from({ length: n }, (_, i) => `s${i}.googleapis.com/T`);
    const fits = Math.floor(MAX_GIVEN_LISTINGS / places);
    expect(cover.covered(types(fits))).toHaveLength(places * (fits + 1));
    let err: unknown;
    try {
      cover.covered(types(fits + 1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RosterError);
    expect((err as RosterError).message).toBe(`types: ${fits + 1} types given in 1001 places ` +
      `would make ${places * (fits + 1)} listings, more than ${MAX_GIVEN_LISTINGS}; give ` +
      'whole services (compute.googleapis.com/*) or * for all, which cover a place in one ' +
      'scope each');
  });
});
