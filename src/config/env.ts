/**
 * `env(name, fallback?)`: a reference to an environment variable. It is read when the config module is
 * evaluated (load time; a reload re-evaluates it), and it stays a reference: the admin API and the config
 * history show `env("NAME")`, never the value.
 */
const ENV_REF = Symbol.for("smartroute.env-ref");

export interface EnvRef {
  readonly [ENV_REF]: true;
  /** The variable's name. */
  readonly name: string;
  /** Used when the variable is unset. */
  readonly fallback?: string;
  /** The value read at load time (the fallback when unset); undefined when neither exists. */
  readonly value: string | undefined;
}

/** A reference to the environment variable `name`, with an optional fallback when it is unset. */
export function env(name: string, fallback?: string): EnvRef {
  const raw = typeof process !== "undefined" ? process.env[name] : undefined;
  return Object.freeze({
    [ENV_REF]: true as const,
    name,
    fallback,
    value: raw ?? fallback,
    // Keeps secrets out of logs and JSON: printing a reference never prints its value.
    toJSON: () => `env(${JSON.stringify(name)})`,
    toString: () => `env(${JSON.stringify(name)})`,
  });
}

export function isEnvRef(value: unknown): value is EnvRef {
  return typeof value === "object" && value !== null && ENV_REF in value;
}

/** The string a literal or an env reference stands for (undefined when an env variable is unset). */
export function resolveEnv(value: string | EnvRef | undefined): string | undefined {
  return isEnvRef(value) ? value.value : value;
}
