// Worker threads do not inherit the parent's TypeScript loader reliably (neither under
// `tsx src/cli.ts` nor `node --import tsx`), so each worker registers tsx itself.
import { tsImport } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

await tsImport(workerData.entry, import.meta.url);
