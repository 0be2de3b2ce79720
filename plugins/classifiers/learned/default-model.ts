/**
 * The committed model (`router-model.json`, written by `npm run train:router`), loaded once per process
 * and shared by every complexity classifier: it is read-only after loading.
 */

import { type LoadedModel, loadModel, type ModelFile } from "./model.ts";
import file from "./router-model.json" with { type: "json" };

let loaded: LoadedModel | undefined;

export function defaultRouterModel(): LoadedModel {
  loaded ??= loadModel(file as ModelFile);
  return loaded;
}
