/** The records of the transformer service: a request, its per-file jobs, and what a finished file produced. */

export type TransformState = 'Submitted' | 'Running' | 'Complete' | 'Fatal' | 'Canceled';
export type FileState = 'pending' | 'running' | 'done' | 'failed' | 'canceled';
export type ResultFormat = 'parquet' | 'root-file';
/** Query languages the service accepts (`codegen`): qastle as func_adl_uproot sends it, and func_adl text. */
export const CODEGENS = ['uproot', 'func-adl'] as const;
export type Codegen = (typeof CODEGENS)[number];

/** One input file of a request and the state of its job. */
export interface FileRecord {
  readonly index: number;
  readonly input: string;
  /** Name of the output object (unique within the request; repeated inputs get distinct names). */
  readonly output: string;
  state: FileState;
  error?: string;
  bytes?: number;
  events?: number;
  rows?: number;
  seconds?: number;
  /** ISO time the output file was renamed into place. */
  createdAt?: string;
  worker?: string;
  attempts: number;
}

/** A transformation request as persisted by the store. */
export interface TransformRecord {
  readonly id: string;
  readonly title: string | null;
  readonly did: string;
  readonly selection: string;
  readonly codegen: Codegen;
  readonly treeName: string | null;
  readonly resultFormat: ResultFormat;
  readonly resultDestination: string;
  /** Hash of (normalised query, dataset, tree, format): equal requests reuse each other's results. */
  readonly cacheKey: string;
  status: TransformState;
  readonly submitTime: string;
  finishTime: string | null;
  readonly files: FileRecord[];
}

/** What a client submits (field names already mapped from the dashed JSON). */
export interface TransformSubmission {
  readonly title?: string;
  readonly did?: string;
  readonly fileList?: readonly string[];
  readonly selection: string;
  readonly codegen?: string;
  readonly treeName?: string;
  readonly resultFormat?: string;
  readonly resultDestination?: string;
  /** Recompute even when an equal request already completed. */
  readonly ignoreCache?: boolean;
}

/** The work of one file, as sent to a local pool slot or a queue worker. */
export interface FileJob {
  readonly requestId: string;
  readonly index: number;
  readonly input: string;
  readonly selection: string;
  readonly codegen: Codegen;
  readonly treeName: string | null;
  readonly resultFormat: ResultFormat;
  /** Absolute path of the request's result folder (shared between server and workers). */
  readonly outputDir: string;
  readonly output: string;
  /**
   * The service's allowed URL prefixes: an http(s) input follows redirects only to URLs under them. Data, not a
   * function, as jobs cross threads and queues; a job without it (queued by an older server) follows none.
   */
  readonly urlPrefixes?: readonly string[];
}

/** What a finished file job reports. */
export interface FileJobResult {
  readonly bytes: number;
  readonly events: number;
  readonly rows: number;
  readonly seconds: number;
  readonly createdAt: string;
  /** The queue worker that produced it (absent for the in-process pool). */
  readonly worker?: string;
}

export const TERMINAL: ReadonlySet<TransformState> = new Set(['Complete', 'Fatal', 'Canceled']);
