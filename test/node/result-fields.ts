// The result model's field names as the CLI JSON must keep them (pinned against the types in
// ui-result.test.ts, checked on a real `train` JSON in cli.test.ts).
export const RUN_FIELDS = ['experiment', 'dataset', 'seed', 'adapter', 'models'] as const;
export const MODEL_FIELDS = [
  'name',
  'params',
  'trainableParams',
  'epochs',
  'batchSize',
  'history',
  'test',
  'seconds',
  'stats',
  'error',
  'replicas',
  'historyMin',
  'historyMax',
  'weights',
  'words',
] as const;
export const REPLICA_FIELDS = ['seed', 'l1', 'l2', 'dropout', 'lr', 'history', 'test'] as const;
/** Present only when the run used early stopping (on the model and on each replica). */
export const EARLY_STOPPING_FIELD = 'earlyStopping';
export const EARLY_STOPPING_FIELDS = ['best_epoch', 'stopped_epoch', 'restored_epoch'] as const;
export const STATS_FIELDS = [
  'dispatchesPerStep',
  'dispatchesPerValidation',
  'submitsPerEpoch',
  'readbacksPerEpoch',
  'buffersCreatedAfterFirstStep',
  'pipelinesCreatedAfterFirstStep',
  'gpuBytes',
  'matmul',
] as const;
