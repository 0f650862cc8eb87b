import type { SourceFormat } from '../format.js';
import { spireAgents } from './agents-format.js';
import { spireBundle } from './bundle-format.js';
import { spireEntries } from './entries-format.js';

export { spireAgents } from './agents-format.js';
export { spireBundle } from './bundle-format.js';
export { spireEntries } from './entries-format.js';

/** The SPIRE formats, for the registry. */
export const SPIRE_FORMATS: readonly SourceFormat[] = [spireEntries, spireAgents, spireBundle];
