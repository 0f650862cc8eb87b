import type { SourceFormat } from '../format.js';
import { netboxFormat } from './netbox-format.js';

export { netboxFormat };
export const NETBOX_FORMATS: readonly SourceFormat[] = [netboxFormat];
