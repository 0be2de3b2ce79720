/**
 * The committed model (`router-model.json`, written by `npm run train:router`), loaded once per process
 * and shared by every complexity classifier: it is read-only after loading.
 *
 * Read and parsed at first use rather than imported: a JSON module stays referenced by the module
 * registry for the life of the process, and the parsed file is about 50 MB of JS values, where the loaded
 * model needs 3 MB (model.ts). Parsed here, the file's values are garbage once loaded.
 */
import { readFileSync } from "node:fs";
import { type LoadedModel, loadModel, type ModelFile } from "./model.ts";

const MODEL_FILE = new URL("./router-model.json", import.meta.url);
let loaded: LoadedModel | undefined;

export function defaultRouterModel(): LoadedModel {
  loaded ??= loadModel(JSON.parse(readFileSync(MODEL_FILE, "utf8")) as ModelFile);
  return loaded;
}
