import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { RosterError, type RosterErrorCode } from './errors.js';

/** Why a file could not be read, in words (`no such file`), not as Node's `ENOENT: ...`. */
export function whyUnreadable(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of its path is not a folder';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * The text of a file a command was pointed at (a config, a mapping, a bulk file), or an
 * error that names it: `cannot read the mapping file /nope.yaml: no such file`. CONFIG and
 * BAD_INPUT are usage errors on the command line (exit 2).
 */
export function readTextFile(file: string, what: string, code: RosterErrorCode = 'CONFIG'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new RosterError(code, `cannot read the ${what} ${file}: ${whyUnreadable(err)}`,
      { file });
  }
}

/** A YAML (or JSON) file a command was pointed at, parsed; any problem names the file. */
export function readYamlFile(file: string, what: string): unknown {
  const text = readTextFile(file, what);
  try {
    return parseYaml(text);
  } catch (err) {
    throw new RosterError('CONFIG', `${file}: ${err instanceof Error ? err.message : String(err)}`,
      { file });
  }
}
