// plugins/local/office-hours.ts
import { type Classifier, definePlugin, Type } from "../../src/index.ts";

const Options = Type.Object({
  tier: Type.String({ description: "tier to use outside office hours" }),
  outside: Type.String({ pattern: "^\\d\\d:\\d\\d-\\d\\d:\\d\\d$", description: "HH:MM-HH:MM, local time" }),
});

/** Sends everything to a cheap tier outside office hours. */
export function officeHours(options: typeof Options.static): Classifier {
  const [from, to] = options.outside.split("-");
  return definePlugin({
    name: "local:office-hours",
    options,
    schema: Options, // lets the admin UI show and edit the options
    classify(ctx) {
      const now = ctx.clock.localTime(); // injected clock: tests set the time
      if (now < from || now >= to) return { tier: options.tier, reason: `outside ${options.outside}` };
    },
  });
}
