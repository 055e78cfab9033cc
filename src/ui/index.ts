// Library entry: `import 'overfit-lab'` (or one <script type="module" src="overfit-lab.js">)
// defines <overfit-lab>; the types are for course authors' scripts.
export { OverfitLab } from './overfit-lab/overfit-lab.ts';
export type { ExportModel, ExportRun } from './overfit-lab/export.ts';
export type {
  EarlyStoppingResult,
  ErrorKind,
  Experiment,
  LabModelResult,
  LabRunResult,
  LabRunStats,
  Locale,
  ModelResult,
  OverfitDoneDetail,
  OverfitEarlyStopping,
  OverfitEpochDetail,
  OverfitErrorDetail,
  OverfitReplicaMetrics,
  OverfitStartDetail,
  RunResult,
  RunStats,
  RunStatus,
} from './overfit-lab/types.ts';
