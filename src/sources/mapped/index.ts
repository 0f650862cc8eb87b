import type { SourceFormat } from '../format.js';
import { mappedCsvFormat, mappedJsonFormat } from './mapped-formats.js';

export { mappedCsvFormat, mappedJsonFormat };
export { mappedFormatFor } from './mapped-formats.js';
export { loadMapping, parseMapping, mappingSchema, type Mapping } from './mapping-schema.js';
export const MAPPED_FORMATS: readonly SourceFormat[] = [mappedCsvFormat, mappedJsonFormat];
