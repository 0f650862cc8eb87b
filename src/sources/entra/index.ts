import type { SourceFormat } from '../format.js';
import { entraFormat } from './entra-format.js';

export { entraFormat };
export const ENTRA_FORMATS: readonly SourceFormat[] = [entraFormat];
