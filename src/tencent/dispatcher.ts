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

/** Routes (Action, Version) to an action definition, validates its parameters and runs it. */
export class Dispatcher {
  private readonly byVersion = new Map<ApiVersion, Map<string, Compiled>>();

  constructor(
    actions: readonly ActionDef[],
    private readonly library: Library,
    private readonly options: { validateResponses: boolean },
  ) {
    for (const v of apiVersions) this.byVersion.set(v, new Map());
    for (const def of actions) {
      const compiled = { def, request: compileRequest(def.request), response: compileResponse(def.response) };
      for (const v of def.versions) this.byVersion.get(v)!.set(def.name, compiled);
    }
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
