import type { ValidateFunction } from 'ajv';
import type { FastifyBaseLogger } from 'fastify';
import type { Library } from '../core/library.ts';
import { apiVersions, type ActionDef, type ApiVersion } from './action.ts';
import { TencentError } from './errors.ts';
import { compileRequest, compileResponse, validate, type RequestValidators } from './validation.ts';

interface Compiled {
  def: ActionDef;
  request: RequestValidators;
  response: ValidateFunction;
}

export type ParamEncoding = 'json' | 'form';

/**
 * Largest body of an action that carries no photo: its ids, names and lists fit in a few KB,
 * and a bigger body would only cost parsing time on the event loop.
 */
const TEXT_ACTION_BODY_LIMIT = 64 * 1024;

/** Whether an action takes a photo (Image, Url, ImageA, Urls…), and so a body of megabytes. */
const carriesImage = (def: ActionDef): boolean => Object.keys(def.request.properties).some((k) => /^(Image|Url)/.test(k));

/** Routes (Action, Version) to an action definition, validates its parameters and runs it. */
export class Dispatcher {
  private readonly byVersion = new Map<ApiVersion, Map<string, Compiled>>();
  private readonly textActions = new Set<string>();

  constructor(
    actions: readonly ActionDef[],
    private readonly library: Library,
    private readonly options: { validateResponses: boolean },
  ) {
    for (const v of apiVersions) this.byVersion.set(v, new Map());
    for (const def of actions) {
      if (!carriesImage(def)) this.textActions.add(def.name);
      const compiled = { def, request: compileRequest(def.request), response: compileResponse(def.response) };
      for (const v of def.versions) this.byVersion.get(v)!.set(def.name, compiled);
    }
  }

  /** The largest body the named action may have; `fallback` when the action is not known yet. */
  bodyLimit(action: string | undefined, fallback: number): number {
    return action !== undefined && this.textActions.has(action) ? TEXT_ACTION_BODY_LIMIT : fallback;
  }

  async run(
    action: string | undefined,
    version: string | undefined,
    params: unknown,
    encoding: ParamEncoding,
    log: FastifyBaseLogger,
  ): Promise<Record<string, unknown>> {
    if (!action) throw new TencentError('MissingParameter', 'The request is missing a required parameter `Action`.');
    if (!version) throw new TencentError('MissingParameter', 'The request is missing a required parameter `Version`.');
    const actions = this.byVersion.get(version as ApiVersion);
    if (!actions) {
      throw new TencentError('NoSuchVersion', `The API version \`${version}\` does not exist. Supported: ${apiVersions.join(', ')}.`);
    }
    const c = actions.get(action);
    if (!c) throw new TencentError('InvalidAction', `The action \`${action}\` is not found for version ${version}.`);

    validate(c.request[encoding], params);
    const result = (await c.def.handler(params as never, { library: this.library, version: version as ApiVersion, log })) as Record<
      string,
      unknown
    >;
    if (this.options.validateResponses && !c.response(result)) {
      throw new Error(`${action} produced a response that breaks its schema: ${JSON.stringify(c.response.errors)}`);
    }
    return result;
  }
}
