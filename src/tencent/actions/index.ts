import type { ActionDef } from '../action.ts';
import * as analysis from './analysis.ts';
import * as compare from './compare.ts';
import * as faces from './faces.ts';
import * as groups from './groups.ts';
import * as persons from './persons.ts';
import * as search from './search.ts';
import * as upgrades from './upgrades.ts';
import * as verify from './verify.ts';

/** Every IAI action faceport serves. Adding one means adding its definition to one of these modules. */
export const actions: readonly ActionDef[] = [groups, persons, faces, search, verify, analysis, compare, upgrades].flatMap(
  (m) => Object.values(m) as unknown as ActionDef[],
);
