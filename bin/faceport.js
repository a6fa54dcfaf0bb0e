#!/usr/bin/env node
// `faceport` as installed by npm (`npx faceport …`, a global install): runs src/cli.ts in this
// very process with tsx's loader, so exit codes, stdin/stdout and signals (SIGTERM/SIGINT for the
// server's graceful shutdown) are the CLI's own. Paths resolve from this file, not the cwd.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import(new URL('../src/cli.ts', import.meta.url).href);
