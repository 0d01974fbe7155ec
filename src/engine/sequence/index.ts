/**
 * The sequence model: an LSTM over a customer's recent periods that predicts the
 * next period's interest distribution. See ./contract.ts for the shapes.
 */
export * from "./contract"
export { initBackend, currentBackend, BACKEND_ORDER } from "./backend"
export type { BackendLogger, InitBackendOptions } from "./backend"
export { DEFAULT_SEQUENCE_OPTIONS, FINE_TUNE_DEFAULTS, resolveSequenceModelOptions } from "./options"
export type { SequenceModelInput, RequiredSequenceOptions } from "./options"
export { createSequenceModel, loadSequenceModel, LstmSequenceModel, SERIALIZED_FORMAT, abortError } from "./lstm-model"
export type { FineTuneOverrides } from "./lstm-model"
