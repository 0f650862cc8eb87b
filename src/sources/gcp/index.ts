import type { SourceFormat } from '../format.js';
import { gcpAssetInventoryFormat } from './gcp-format.js';

export { gcpAssetInventoryFormat };
export const GCP_FORMATS: readonly SourceFormat[] = [gcpAssetInventoryFormat];
