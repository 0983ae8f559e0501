/**
 * An in-memory world for unit tests of the pipeline: a tenant store, an
 * object source and recording sinks, all scriptable, wired as PipelineDeps.
 *
 * @module
 */
import { deliveryReport, type DeliverySink, type ObjectContext } from "../../src/delivery/sink.ts";
import type { DeliveryReport } from "../../src/results.ts";
import type { ObjectBody } from "../../src/ingest/object_source.ts";
import type { LogEvent } from "../../src/ingest/parse_record.ts";
import type { RecordChunk } from "../../src/ingest/read_records.ts";
import type { DeliveryStateStore } from "../../src/delivery/state/delivery_state_store.ts";
import { type DeliveryState, NO_STATE } from "../../src/delivery/state/delivery_state.ts";
import type { ObjectVersion, ProgressTagger } from "../../src/delivery/state/progress_tag.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import { silentLogger } from "../../src/telemetry/logger.ts";
import type { ClusterLookup } from "../../src/tenant/cluster.ts";
import type { Delivery, TenantConfig } from "../../src/tenant/delivery.ts";

/** An object the fake source serves. */
export interface FakeObject {
  /** The bytes, served in these chunks. */
  readonly chunks?: readonly (Uint8Array | string)[];
  /** Thrown by open(). */
  readonly openError?: unknown;
  /** Thrown by the stream after its chunks. */
  readonly streamError?: unknown;
  readonly lastModified?: Date;
  readonly eTag?: string;
  /** Tags the object has (GetObject's TagCount). */
  tagCount?: number;
}

/** A sink that keeps what it was given and reports what the test scripted. */
export class RecordingSink implements DeliverySink {
  readonly events: LogEvent[] = [];
  readonly lines: string[] = [];
  finished = false;
  abortedWith?: string;
  /** Present when the sink resumes (as CloudWatch's does): every event written counts as accepted. */
  handledEvents?: () => number;

  readonly #result: Partial<DeliveryReport>;

  constructor(
    readonly delivery: Delivery,
    readonly object: ObjectContext,
    result: Partial<DeliveryReport> = {},
    resumable = false,
  ) {
    this.#result = result;
    if (resumable) this.handledEvents = () => this.events.length;
  }

  write(chunk: RecordChunk): Promise<void> {
    this.events.push(...chunk.events);
    this.lines.push(...chunk.lines);
    return Promise.resolve();
  }

  finish(): Promise<DeliveryReport> {
    this.finished = true;
    return Promise.resolve({ ...this.#report(), events_delivered: this.events.length, ...this.#result });
  }

  abort(reason: string): Promise<DeliveryReport> {
    this.abortedWith = reason;
    return Promise.resolve({ ...this.#report(), outcome: "permanent", code: "Aborted", reason });
  }

  #report(): DeliveryReport {
    return deliveryReport(this.delivery);
  }
}

/** Tenants, objects and sinks of one test. */
export class FakeWorld {
  readonly tenants = new Map<string, TenantConfig>();
  /**
   * The cluster registry. A cluster not set here is registered for every
   * tenant, with a writer role no test notification names: set one to test
   * refusals.
   */
  readonly clusters = new Map<string, ClusterLookup>();
  readonly clusterLookups: string[] = [];
  readonly tenantLookups: string[] = [];
  tenantError?: unknown;
  readonly objects = new Map<string, FakeObject>();
  readonly opened: string[] = [];
  readonly sinks: RecordingSink[] = [];
  /** Scripted report fields per delivery id (e.g. a failure outcome). */
  readonly sinkResults = new Map<string, Partial<DeliveryReport>>();
  /** Errors thrown by the sink factory per delivery id. */
  readonly sinkErrors = new Map<string, unknown>();
  /** Delivery ids whose sinks resume (report `handledEvents`). */
  readonly resumable = new Set<string>();
  /** Objects whose stream was released unread. */
  readonly discarded: string[] = [];
  now = Date.UTC(2026, 0, 1, 12);

  putObject(bucket: string, key: string, object: FakeObject): this {
    this.objects.set(`${bucket}/${key}`, object);
    return this;
  }

  deps(): PipelineDeps {
    return {
      logger: silentLogger,
      now: () => this.now,
      clusters: {
        get: (clusterId) => {
          this.clusterLookups.push(clusterId);
          return Promise.resolve(this.clusters.get(clusterId) ?? this.#openCluster(clusterId));
        },
      },
      tenants: {
        get: (tenantId) => {
          this.tenantLookups.push(tenantId);
          if (this.tenantError !== undefined) return Promise.reject(this.tenantError);
          return Promise.resolve(this.tenants.get(tenantId) ?? { tenantId, deliveries: [], invalid: [] });
        },
      },
      source: {
        open: (bucket, key) => {
          this.opened.push(`${bucket}/${key}`);
          const object = this.objects.get(`${bucket}/${key}`);
          if (!object) return Promise.reject(Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" }));
          if (object.openError !== undefined) return Promise.reject(object.openError);
          return Promise.resolve({ ...bodyOf(object), discard: () => void this.discarded.push(`${bucket}/${key}`) });
        },
      },
      sinkFor: (delivery, object) => {
        const error = this.sinkErrors.get(delivery.deliveryId);
        if (error !== undefined) throw error;
        const id = delivery.deliveryId;
        const sink = new RecordingSink(delivery, object, this.sinkResults.get(id), this.resumable.has(id));
        this.sinks.push(sink);
        return sink;
      },
    };
  }

  #openCluster(clusterId: string): ClusterLookup {
    // Serves every tenant (an array whose includes() is always true): unit tests of other steps need no registry.
    const everyTenant = Object.assign(["*"], { includes: () => true });
    return {
      kind: "registered",
      cluster: {
        clusterId,
        tenants: everyTenant,
        writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-fake",
        writerRoleId: FAKE_WRITER_ROLE_ID,
        enabled: true,
      },
    };
  }
}

/** A writer role id no test notification names, so only the registry part of the check applies. */
export const FAKE_WRITER_ROLE_ID = "AROAFAKEWORLDWRITER001";

function bodyOf(object: FakeObject): ObjectBody {
  const encoder = new TextEncoder();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const c of object.chunks ?? []) yield typeof c === "string" ? encoder.encode(c) : c;
    if (object.streamError !== undefined) throw object.streamError;
  }
  return { chunks: chunks(), lastModified: object.lastModified, eTag: object.eTag, tagCount: object.tagCount };
}

/** An in-memory delivery-state table that records reads and writes; `failWith` makes every call throw it. */
export class FakeDeliveryState implements DeliveryStateStore {
  readonly reads: string[] = [];
  /** Every write: the pk, the completed ids and the progress, as plain values. */
  readonly writes: { pk: string; ids: readonly string[]; progress?: Record<string, number> }[] = [];
  readonly items = new Map<string, DeliveryState>();
  failWith?: unknown;

  /** Stores what a test says an earlier attempt left. */
  set(pk: string, completed: readonly string[], progress: Record<string, number> = {}): void {
    this.items.set(pk, { completed: new Set(completed), progress: new Map(Object.entries(progress)) });
  }

  recall(pk: string): Promise<DeliveryState> {
    this.reads.push(pk);
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    return Promise.resolve(this.items.get(pk) ?? NO_STATE);
  }

  remember(pk: string, state: DeliveryState): Promise<void> {
    const progress = Object.fromEntries(state.progress);
    this.writes.push({ pk, ids: [...state.completed].sort(), ...(state.progress.size ? { progress } : {}) });
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    const before = this.items.get(pk) ?? NO_STATE;
    this.items.set(pk, { completed: new Set([...before.completed, ...state.completed]), progress: state.progress });
    return Promise.resolve();
  }
}

/** A tagger that records which objects it marked; `failWith` makes it throw. */
export class FakeTagger implements ProgressTagger {
  readonly marked: { key: string; tagCount: number }[] = [];
  failWith?: unknown;

  mark(object: ObjectVersion, tagCount: number): Promise<void> {
    this.marked.push({ key: object.key, tagCount });
    return this.failWith === undefined ? Promise.resolve() : Promise.reject(this.failWith);
  }
}
