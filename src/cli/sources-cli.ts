import type { Command } from 'commander';
import { FORMATS } from '../sources/registry.js';
import type { CliContext } from './main.js';
import { parseOutputFormat, render } from './output.js';

export function registerSources(program: Command, ctx: CliContext): void {
  program
    .command('sources')
    .description('list the formats Roster reads, with an example command for each')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action((opts: { output?: string }) => {
      const format = parseOutputFormat(opts.output);
      const rows = [...FORMATS].sort((a, b) => a.name.localeCompare(b.name));
      ctx.out(
        render(
          format,
          rows,
          [
            { header: 'FORMAT', value: (f) => f.name },
            { header: 'SOURCE', value: (f) => f.source },
            { header: 'SOR', value: (f) => (f.systemOfRecord ? 'yes' : '') },
            { header: 'READS', value: (f) => f.description, width: 60, overflow: 'wrap' },
            { header: 'EXAMPLE', value: (f) => f.example, width: 90, overflow: 'wrap' },
          ],
          (f) => ({
            name: f.name,
            source: f.source,
            systemOfRecord: f.systemOfRecord,
            takesTypes: f.takesTypes === true,
            description: f.description,
            example: f.example,
          }),
          ctx.color,
        ),
      );
    });
}
