// The ports between the check's sequence and the outside world. Adapters implement them at the edge:
// AWS in the Lambda, local ones for the demo, the CLI's --runs-dir and the tests.
import type {
  DetectorOutput,
  Level,
  EcsObservation,
  NotificationMessage,
  RunRecord,
  TriggerContext,
} from './detector/types';
import type { Announced } from './detector/announcements';
import type { Audience } from './detector/audiences';
import type { DetectorConfig } from './detector/config';
import type { HandoffCursor } from './detector/handoff-cursor';
import type { NotificationLog } from './detector/notification-log';
import type { ScheduleDefinition } from './shared/schedules';

/** `note` says which of several tasks' dashboards was read (task discovery); the run logs it. */
export type DashboardResult =
  { readonly payload: unknown; readonly note?: string } | { readonly error: string };
export type EcsResult =
  { readonly ecs: EcsObservation; readonly addresses?: readonly TaskAddress[] } | { readonly error: string };

/** A task of the service with its awsvpc private IPv4 address (DescribeTasks ENI attachment). */
export interface TaskAddress {
  readonly taskArn: string;
  readonly lastStatus?: string;
  readonly healthStatus?: string;
  readonly startedAt?: string;
  readonly privateIpv4Address?: string;
}

export interface DashboardSource {
  /** True when the dashboard's address comes from ECS (task discovery): ECS is read first then. */
  readonly needsEcs?: boolean;
  fetch(ecs?: EcsResult): Promise<DashboardResult>;
}

export interface EcsSource {
  /** `signal` aborts the calls still under way once the run's collect budget is spent. */
  observe(signal?: AbortSignal): Promise<EcsResult>;
}

/**
 * The dedup snapshot as stored: the output, the notification log per audience, and a delivery claim
 * while a publish is under way.
 */
export interface StoredSnapshot {
  readonly output: DetectorOutput;
  /** When its observation was taken, at full precision: orders runs within one second. */
  readonly observed_at?: string;
  /** What each audience was told; absent in snapshots written before logs existed (seeded then). */
  readonly nflog?: NotificationLog;
  readonly claim?: DeliveryClaim;
  /** Per audience, the silence notices it was told are in force (announcements.ts). */
  readonly announced?: Announced;
  /** The one claim of a snapshot written before logs existed: read only to migrate it. */
  readonly delivery?: LegacyClaim;
  /** Which hand-offs of runs that could not store were read into the log (detector/handoff.ts). */
  readonly handoff?: HandoffCursor;
}

/** A run is publishing what this snapshot owes; others wait until it is released or expires. */
export interface DeliveryClaim {
  readonly run_id: string;
  readonly claimed_at: string;
  /** The claimant's own deadline for publishing and confirming: waiters wait exactly this long. */
  readonly expires_at: string;
}

export interface LegacyClaim {
  readonly state: 'pending' | 'failed';
  readonly run_id: string;
  readonly claimed_at: string;
}

export interface LatestRead {
  /**
   * Null when there is no snapshot, or nothing of it could be used; `problem` says why, also when only
   * part of it could be used (its valid events are salvaged).
   */
  readonly snapshot: StoredSnapshot | null;
  /** The version to condition the next write on; null when no object exists. */
  readonly etag: string | null;
  readonly problem?: string;
}

/** Another writer changed the snapshot since it was read. */
export class WriteConflictError extends Error {
  constructor(message = 'the snapshot changed since it was read') {
    super(message);
    this.name = 'WriteConflictError';
  }
}

export interface RunRange {
  readonly from: string;
  readonly to: string;
}

export interface StateStore {
  readLatest(): Promise<LatestRead>;
  /** Conditional write: on the ETag read, or create-only when `etag` is null. Returns the new ETag. */
  writeLatest(snapshot: StoredSnapshot, etag: string | null): Promise<string>;
  writeRun(record: RunRecord): Promise<string>;
  /** Records in the range; `project` (when given) is applied to each as it is read, so only that is kept. */
  listRuns(range: RunRange, project?: (record: RunRecord) => RunRecord): Promise<RunListing>;
}

/** Small objects beside the snapshot (the daily digest's marker), written with the same conditions. */
export interface MarkerStore {
  /** The object's text and version, or null when it does not exist. */
  readMarker(key: string): Promise<StoredObject | null>;
  /** Create-only when `etag` is null (If-None-Match: *), else on that ETag (If-Match). WriteConflictError otherwise. */
  writeMarker(key: string, text: string, etag: string | null): Promise<string>;
}

/** One stored object's text and the version tag a conditional write is made on. */
export interface StoredObject {
  readonly text: string;
  readonly etag: string;
  /** Set (and `text` left empty) when the object is larger than the `maxBytes` it was read with. */
  readonly overLimit?: { readonly bytes: number };
}

/**
 * The one primitive every stored document sits on (the snapshot, run records, silences, digest
 * markers: lambda/state-store.ts). Adapters implement only this, once for S3 and once for a directory.
 */
export interface ObjectStore {
  /**
   * The object and its version tag, or null when there is no such key. With `maxBytes`, a larger
   * object is neither downloaded nor decoded: it comes back `overLimit` (bounded input).
   */
  get(key: string, limit?: { readonly maxBytes: number }): Promise<StoredObject | null>;
  /**
   * Conditional write: create-only when `etag` is null (If-None-Match: *), else only over that version
   * (If-Match). Throws WriteConflictError when the condition fails. Returns the new version tag.
   */
  putIf(key: string, text: string, etag: string | null): Promise<string>;
  /** Unconditional write (run records: each run writes its own key). */
  put(key: string, text: string): Promise<void>;
  /**
   * Every key under a prefix ('' for all), in no promised order; with `page`, only keys after
   * `startAfter`, in order, at most `max` (one listing request on S3).
   */
  keys(prefix: string, page?: { readonly startAfter: string; readonly max: number }): AsyncIterable<string>;
}

/**
 * What a run that could not store its snapshot leaves for the next run (detector/handoff.ts): one
 * small document per such run, under a prefix of its own, named by the observation's time.
 */
export interface HandoffStore {
  /** Hand-off keys sorting after `startAfter`, in order, at most `max`. */
  listHandoffs(startAfter: string, max: number): Promise<string[]>;
  /** With `maxBytes`, a larger document is not downloaded: it comes back `overLimit`. */
  readHandoff(key: string, limit: { readonly maxBytes: number }): Promise<StoredObject | null>;
  writeHandoff(key: string, text: string): Promise<void>;
}

export interface RunListing {
  readonly records: RunRecord[];
  /** Records that could not be read, each with its key and why: skipped, never fatal. */
  readonly skipped: { readonly key: string; readonly reason: string }[];
}

export interface SilenceRead {
  /** The stored silences, unvalidated (the detector ignores malformed ones); [] when there is no file. */
  readonly silences: unknown[];
  /** The version to condition the next write on; null when no file exists. */
  readonly etag: string | null;
  /** Set when the file exists but cannot be used: the check goes on with no silences. */
  readonly problem?: string;
  /** The file's size in bytes, when it exists. */
  readonly bytes?: number;
}

/** The silences file: the Lambda reads it; only the operator's `silence` command writes it. */
export interface SilenceStore {
  /** With `maxBytes` (the Lambda), a larger file is not downloaded nor parsed: it is a `problem`. */
  readSilences(limit?: { readonly maxBytes: number }): Promise<SilenceRead>;
  /** Conditional write, like writeLatest: WriteConflictError when someone else wrote first. */
  writeSilences(silences: readonly unknown[], etag: string | null): Promise<string>;
}

/** What the record sealer did in one check (lambda/records/seal.ts). */
export type SealOutcome =
  | { readonly state: 'sealed' | 'partial'; readonly hours: number; readonly days: number }
  | { readonly state: 'up_to_date' | 'skipped' }
  | { readonly state: 'failed'; readonly error: string };

/**
 * Writes what the record readers need per hour and per ET day once that time is over (an hour's
 * records in one pack, a day's summary): a side job of the check, within its deadline.
 */
export interface RecordSealer {
  seal(nowMs: number, deadlineMs: number): Promise<SealOutcome>;
}

/** One topic per audience; a publish goes to one audience, so each succeeds or fails on its own. */
export interface Notifier {
  /** The audiences this notifier reaches. */
  readonly audiences: readonly Audience[];
  publish(audience: Audience, message: NotificationMessage): Promise<void>;
}

export interface MetricsSink {
  record(output: DetectorOutput, trigger: TriggerContext): void;
}

export interface Clock {
  now(): Date;
}

export interface CheckDeps {
  readonly dashboard: DashboardSource;
  readonly ecs: EcsSource;
  readonly store: StateStore;
  /** Where the daily digest keeps its markers; absent (test doubles of the store): no digest. */
  readonly markers?: MarkerStore;
  /** Packs and summarises the run records of past hours and days; absent (test doubles): not done. */
  readonly sealer?: RecordSealer;
  /** Where a run that cannot store leaves what it saw; absent (test doubles of the store): none. */
  readonly handoffs?: HandoffStore;
  /** Active silences come from here; absent (demo, some tests): no silences. */
  readonly silences?: Pick<SilenceStore, 'readSilences'>;
  readonly notifier: Notifier;
  readonly metrics: MetricsSink;
  readonly clock: Clock;
  /** AEGIS_PT_* detector settings. */
  readonly config: DetectorConfig;
  readonly log: CheckLogger;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The lowest level the pager is told (AEGIS_PT_PAGE_FLOOR); routing's default when absent. */
  readonly pageFloor?: Level;
  /** The deployed check schedules (the daily digest's due time); the defaults when absent. */
  readonly schedules?: readonly ScheduleDefinition[];
}

export interface CheckLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
