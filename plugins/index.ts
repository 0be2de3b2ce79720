/** Every built-in plugin factory. Built-ins are written against `src/index.ts` only, as a user's would be. */
export { openai, type OpenAIOptions } from "./providers/openai.ts";
export { simulated, type SimulatedOptions } from "./providers/simulated.ts";
export { scripted, type ScriptStep, type ScriptedEvent, type ScriptedCall, type ScriptedProvider, type AnswerStep, type StreamStep, type ResetStep, type HangStep } from "./providers/scripted.ts";
export { anthropic, type AnthropicOptions } from "./providers/anthropic.ts";
export { openaiResponses, type OpenAIResponsesOptions } from "./providers/openai-responses.ts";
export { statusCodeRetry, type StatusCodeRetryOptions } from "./retry/status-code-retry.ts";
export { errorKeywordRetry, type ErrorKeywordRetryOptions } from "./retry/error-keyword-retry.ts";
export { defaultRetry, type DefaultRetryOptions } from "./retry/default-retry.ts";
export { modelParams, type ModelParamsOptions } from "./adapters/model-params.ts";
export { visionBridge, type VisionBridgeOptions } from "./adapters/vision-bridge.ts";
export { selfHealingParams, type SelfHealingParamsOptions, type FixSuggestion } from "./adapters/self-healing-params.ts";
export { keywordClassifier, defaultKeywordRules, type KeywordClassifierOptions, type KeywordRule } from "./classifiers/keyword-classifier.ts";
export { complexityClassifier, type ComplexityClassifierOptions } from "./classifiers/complexity-classifier.ts";
export { llmIntentClassifier, DEFAULT_INTENT_PROMPT, type LlmIntentClassifierOptions } from "./classifiers/llm-intent-classifier.ts";
export { randomTier, type RandomTierOptions } from "./classifiers/random-tier.ts";
export { adaptiveStrategy, cooldownsLast, randomStrategy, sequentialStrategy } from "./strategies/index.ts";
