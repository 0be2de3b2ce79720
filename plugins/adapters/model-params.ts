import { definePlugin, type ParamAdapter, type Static, type TargetMatch, Type } from "../../src/index.ts";

const Params = Type.Record(Type.String(), Type.Unknown());
const Options = Type.Object(
  {
    defaults: Type.Optional(Params),
    models: Type.Optional(Type.Record(Type.String(), Params)),
    match: Type.Optional(Type.Unknown({ description: "limit to these providers/models" })),
  },
  { additionalProperties: false },
);
export type ModelParamsOptions = Omit<Static<typeof Options>, "match"> & { match?: TargetMatch };

/**
 * Per-model request parameters. `defaults` fill fields the client did not set; `models` (keyed by model
 * name or "provider/model") override whatever the client sent, for upstreams that accept only certain
 * values (a value of `null` removes the field). `match` limits the adapter to some providers/models.
 */
export function modelParams(options: ModelParamsOptions): ParamAdapter<ModelParamsOptions> {
  return definePlugin({
    name: "builtin:model-params",
    options,
    schema: Options,
    match: options.match,
    adapt(body, attempt) {
      const patch: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(options.defaults ?? {}))
        if (body[key] === undefined) patch[key] = value;
      const forModel = options.models?.[attempt.target.ref] ?? options.models?.[attempt.target.model];
      for (const [key, value] of Object.entries(forModel ?? {})) patch[key] = value === null ? undefined : value;
      return Object.keys(patch).length > 0 ? patch : undefined;
    },
  });
}
