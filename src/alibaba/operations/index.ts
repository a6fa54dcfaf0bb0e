import type { OperationDef } from '../operation.ts';
import * as faces from './faces.ts';
import * as persons from './persons.ts';
import * as scan from './scan.ts';

/** Every Green operation faceport serves. Adding one means adding its definition to one of these modules. */
export const operations: readonly OperationDef[] = [persons, faces, scan].flatMap((m) => Object.values(m) as unknown as OperationDef[]);
