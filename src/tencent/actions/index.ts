import type { ActionDef } from '../action.ts';
import * as groups from './groups.ts';

/** Every IAI action faceport serves. Adding one means adding its definition here. */
export const actions: readonly ActionDef[] = [...Object.values(groups)] as unknown as readonly ActionDef[];
