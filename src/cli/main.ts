import { Command, Option } from 'commander';
import { pc, terminalText } from './paint.js';
import { openApp, type App } from '../app.js';
import { RosterError } from '../model/errors.js';
import { maskSecrets } from '../model/secret-shapes.js';
import { systemClock, fixedClock, type Clock } from '../model/time.js';
import { registerIngest } from './ingest-cli.js';
import { registerQueries } from './query-cli.js';
import { registerDemo } from './demo-cli.js';
import { registerLifecycleCommands } from './lifecycle-cli.js';
import { registerSources } from './sources-cli.js';
import { registerServe } from './serve-cli.js';
import { registerToken } from './token-cli.js';
import { registerDecide } from './decide-cli.js';
import { OutputFormatError } from './output.js';

export interface CliContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly color: boolean;
  /** Opens the app with the global --db/--config options. */
  open(): Promise<App>;
  clock(asOf?: string): Clock;
  exitCode: number;
}

/**
 * Runs the `roster` command line. Returns the exit code: 0 when all went well, 1 when an
 * input had bad rows or a file failed, 2 for usage errors.
 */
const ABOUT = 'A live, reconciled inventory of assets, identities and credentials for zero trust';

export async function main(argv: readonly string[], given = defaultIo()): Promise<number> {
  // Every line the CLI prints passes here: control characters from data are written out
  // visibly, and only the printers' own colour markers become escape codes (paint.ts).
  const io = {
    ...given,
    out: (t: string) => given.out(terminalText(t, given.color)),
    err: (t: string) => given.err(terminalText(t, given.color)),
  };
  const program = new Command('roster')
    .description(ABOUT)
    .addOption(new Option('--db <path>', 'SQLite database file (env ROSTER_DB)').default(undefined))
    .addOption(new Option('--config <path>', 'roster.config.yaml to use (env ROSTER_CONFIG)'))
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({
    writeOut: (s) => io.out(s.trimEnd()),
    writeErr: (s) => io.err(s.trimEnd()),
  });

  const ctx: CliContext = {
    ...io,
    exitCode: 0,
    open: () => {
      const g = program.opts<{ db?: string; config?: string }>();
      return openApp({
        ...(g.db ? { db: g.db } : {}),
        ...(g.config ? { config: g.config } : {}),
      });
    },
    clock: (asOf) => (asOf ? fixedClock(asOf) : systemClock),
  };
  registerIngest(program, ctx);
  registerQueries(program, ctx);
  registerDemo(program, ctx);
  registerLifecycleCommands(program, ctx);
  registerSources(program, ctx);
  registerServe(program, ctx);
  registerToken(program, ctx);
  registerDecide(program, ctx);
  let formatTyped = false;
  acceptFormatForOutput(program, () => {
    formatTyped = true;
  });

  try {
    await program.parseAsync([...argv]);
    return ctx.exitCode;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (err instanceof RosterError) {
      // `show --format csv` is refused as --format, the option typed, not as -o.
      const shown = err instanceof OutputFormatError && formatTyped ? err.as('--format') : err;
      // A message names what was typed (a path, a key): a secret in it is masked (rule 5).
      io.err(`${io.color ? pc.red('error') : 'error'}: ${maskSecrets(shown.message)}`);
      return err.code === 'BAD_INPUT' || err.code === 'CONFIG' ? 2 : 1;
    }
    throw err;
  }
}

/**
 * Listings and views print as `-o, --output` says (table, json, csv; views table or json);
 * `--format` says the same where a command has no input format of its own (ingest's
 * `--format` names the export's format). `typed` hears when a command was given `--format`.
 */
function acceptFormatForOutput(program: Command, typed: () => void): void {
  const walk = (c: Command): void => {
    const outputOption = c.options.find((o) => o.long === '--output');
    if (outputOption && !c.options.some((o) => o.long === '--format')) {
      const help = `the same as -o, --output: ${outputOption.description}`;
      c.addOption(new Option('--format <format>', help));
      c.hook('preAction', (cmd) => {
        const format = cmd.getOptionValue('format') as string | undefined;
        if (format === undefined) return;
        typed();
        const output = cmd.getOptionValue('output') as string | undefined;
        if (cmd.getOptionValueSource('output') === 'cli' && output !== format) {
          throw new RosterError('BAD_INPUT',
            `--format ${format} and --output ${output} disagree; give one of them`);
        }
        cmd.setOptionValueWithSource('output', format, 'cli');
      });
    }
    for (const sub of c.commands) walk(sub);
  };
  walk(program);
}

function defaultIo(): Pick<CliContext, 'out' | 'err' | 'color'> {
  // A reader that stops early (`roster findings | head`) closes the pipe: the rest of the
  // output is dropped and the command still finishes its work (an ingest still commits).
  let readerGone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  return {
    out: (t) => {
      if (!readerGone) process.stdout.write(`${t}\n`);
    },
    err: (t) => process.stderr.write(`${t}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
  };
}
