import type { Observation, Rejection, RunMeta, Warning } from '../../src/model/types.js';
import type { ParseOptions, SourceFormat, SourceInput } from '../../src/sources/format.js';
import { fileInput, textInput } from '../../src/sources/read-file.js';

export interface Parsed {
  observations: Observation[];
  rejections: Rejection[];
  warnings: Warning[];
  meta: RunMeta;
}

/** Runs a parser to the end and collects what it yields. */
export async function collect(
  format: SourceFormat,
  input: SourceInput,
  options: ParseOptions = {},
): Promise<Parsed> {
  const out: Parsed = { observations: [], rejections: [], warnings: [], meta: {} };
  for await (const ev of format.parse(input, options)) {
    if (ev.type === 'observation') out.observations.push(ev.observation);
    else if (ev.type === 'reject') out.rejections.push(ev.rejection);
    else if (ev.type === 'warning') out.warnings.push(ev.warning);
    else if (ev.type === 'meta') out.meta = { ...out.meta, ...ev.meta };
  }
  return out;
}

export const parseFile = (f: SourceFormat, path: string, o?: ParseOptions): Promise<Parsed> =>
  collect(f, fileInput(path), o);

export const parseText = (
  f: SourceFormat, name: string, text: string, o?: ParseOptions,
): Promise<Parsed> => collect(f, textInput(name, text), o);
