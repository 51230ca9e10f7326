/**
 * The single executable's start-up snapshot (issue 18; scripts/build-binary.ts, Node's SEA
 * `useSnapshot`): at build time node runs this file once and saves the heap it leaves: every
 * module evaluated (commander, the command definitions, each command's code) and the shipped
 * vocabularies' index parsed. At each start the executable restores that heap and runs only the
 * function below, which is bin.ts: the process's streams, signals and arguments are the run's
 * own, never the build's. Nothing here may read the environment, the clock or the terminal.
 * Not the default (`npm run build:binary -- --start=snapshot`): restoring the larger heap cost
 * more than the code cache's compile did, measured (README, Performance).
 */

import { startupSnapshot } from 'node:v8';
import './main.js';
import './program.js';
import './commands/convert.js';
import './commands/coverage.js';
import './commands/diff.js';
import './commands/export.js';
import './commands/import.js';
import './commands/list.js';
import './commands/lookup.js';
import './commands/show.js';
import './commands/suggest.js';
import './commands/summarize.js';
import './commands/translate.js';
import './commands/validate.js';
import { shippedRegistry } from '../shipped/index.js';

shippedRegistry();
startupSnapshot.setDeserializeMainFunction(() => {
  void import('./bin.js');
});
