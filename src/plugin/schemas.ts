/** Schema helpers for plugin options that TypeBox has no type for. */
import { Kind, type TSchema, type TUnsafe, Type, TypeRegistry } from "@sinclair/typebox";

if (!TypeRegistry.Has("RegExpObject")) TypeRegistry.Set("RegExpObject", (_schema, value) => value instanceof RegExp);

/** A RegExp object (TypeBox's own `Type.RegExp` is a string checked by a pattern). */
export function RegExpObject(options: { description?: string } = {}): TUnsafe<RegExp> {
  return Type.Unsafe<RegExp>({ [Kind]: "RegExpObject", type: "regexp", ...options } as unknown as TSchema);
}

/** A word/phrase or a RegExp: what keyword-style options accept. */
export function StringOrRegExp(options: { description?: string } = {}) {
  return Type.Union([Type.String({ minLength: 1 }), RegExpObject()], options);
}
