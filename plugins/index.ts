/** Every built-in plugin factory. Built-ins are written against `src/index.ts` only, as a user's would be. */

export { type ModelParamsOptions, modelParams } from "./adapters/model-params.ts";
export {
  type FixSuggestion,
  type SelfHealingParamsOptions,
  selfHealingParams,
} from "./adapters/self-healing-params.ts";
export { type VisionBridgeOptions, visionBridge } from "./adapters/vision-bridge.ts";
export { type ComplexityClassifierOptions, complexityClassifier } from "./classifiers/complexity-classifier.ts";
export {
  defaultKeywordRules,
  type KeywordClassifierOptions,
  type KeywordRule,
  keywordClassifier,
} from "./classifiers/keyword-classifier.ts";
export {
  DEFAULT_INTENT_PROMPT,
  type LlmIntentClassifierOptions,
  llmIntentClassifier,
} from "./classifiers/llm-intent-classifier.ts";
export { type RandomTierOptions, randomTier } from "./classifiers/random-tier.ts";
export { type AnthropicOptions, anthropic } from "./providers/anthropic.ts";
export { type OpenAIOptions, openai } from "./providers/openai.ts";
export { type OpenAIResponsesOptions, openaiResponses } from "./providers/openai-responses.ts";
export {
  type AnswerStep,
  type HangStep,
  type ResetStep,
  type ScriptedCall,
  type ScriptedEvent,
  type ScriptedProvider,
  type ScriptStep,
  type StreamStep,
  scripted,
} from "./providers/scripted.ts";
export { type SimulatedOptions, simulated } from "./providers/simulated.ts";
export { type DefaultRetryOptions, defaultRetry } from "./retry/default-retry.ts";
export { type ErrorKeywordRetryOptions, errorKeywordRetry } from "./retry/error-keyword-retry.ts";
export { type StatusCodeRetryOptions, statusCodeRetry } from "./retry/status-code-retry.ts";
export { adaptiveStrategy, cooldownsLast, randomStrategy, sequentialStrategy } from "./strategies/index.ts";
