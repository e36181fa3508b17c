// `npm run docs:commands`: writes README's command table (block 'commands') from the command
// definitions, formatted as `npm run lint` expects.
import { commandTable } from '../bin/commands/command-table';
import { writeReadmeFigures } from './readme-figures';

commandTable().then(
  (table) => writeReadmeFigures('commands', table),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
