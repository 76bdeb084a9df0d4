// The audit trail: every meaningful change becomes a Kubernetes Event on the resource (what
// `kubectl describe` and dashboards show; the API server drops Events after an hour) and a
// JSON line marked {"audit":true,...} on stdout (which cluster log pipelines keep; the logs go to
// stderr) and/or appended to a file on a volume: the durable record, when --audit-log is given.
// Recording never blocks or fails a reconcile: Events are posted in the background through a
// bounded buffer, and failures are logged.
import type { CoreV1Api, CoreV1Event } from "@kubernetes/client-node";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import type { FieldChange } from "../../core/facade/diff.ts";
import { describeError } from "../../kube/errors.ts";
import type { RateLimiter } from "../../kube/rate-limiter.ts";
import type { OperatorLogger } from "../logger.ts";

export interface AuditRecord {
  time: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  generation?: number;
  /** the person: the Kubernetes user the admission policy stamped on the change (alice, system:serviceaccount:...) */
  user?: string;
  /** the API server's time of that change (the stamp), beside `time`, when the operator saw it */
  modifiedAt?: string;
  /** the tool: field manager of the latest spec change (kubectl, argocd-controller, kustomize-controller, ...) */
  fieldManager?: string;
  reason: string;
  summary: string;
  changes?: FieldChange[];
  /** Normal, or Warning for problems */
  type: "Normal" | "Warning";
}

export interface AuditRecorderOptions {
  core: CoreV1Api;
  /** where JSON lines go: files to append to, "-" for stdout; none: Events only */
  auditLog?: string | readonly string[];
  /** reportingInstance of Events, e.g. the pod name */
  instance: string;
  logger: OperatorLogger;
  /** Events waiting to be posted before new ones are dropped (and counted). Default 1000. */
  maxPending?: number;
  /** shared budget for background API writes; default unlimited */
  limiter?: RateLimiter;
}

const COMPONENT = "vexil-operator";

export class AuditRecorder {
  private readonly options: AuditRecorderOptions;
  private readonly streams: fs.WriteStream[] = [];
  private readonly stdout: boolean;
  private readonly pending: CoreV1Event[] = [];
  private posting = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  dropped = 0;

  constructor(options: AuditRecorderOptions) {
    this.options = options;
    const sinks = typeof options.auditLog === "string" ? [options.auditLog] : (options.auditLog ?? []);
    this.stdout = sinks.includes("-");
    for (const file of new Set(sinks.filter((sink) => sink !== "-"))) {
      const stream = fs.createWriteStream(file, { flags: "a" });
      stream.on("error", (error) => options.logger.error({ err: error.message, file }, "audit log write failed"));
      this.streams.push(stream);
    }
  }

  record(record: AuditRecord): void {
    this.writeLine(record);
    if (this.pending.length >= (this.options.maxPending ?? 1000)) {
      this.dropped++;
      // visible, not silent: the first drop and every hundredth after it
      if (this.dropped % 100 === 1) {
        this.options.logger.warn(
          { dropped: this.dropped, reason: record.reason },
          "Event queue full: Event not posted (the audit log still has it when --audit-log is set)",
        );
      }
      return;
    }
    this.pending.push(this.toEvent(record));
    if (!this.posting) this.drain();
  }

  /** Resolves once every queued Event has been posted (or failed). */
  flushed(): Promise<void> {
    return this.posting ? this.idle : Promise.resolve();
  }

  /** Stops posting: Events still queued are dropped (they are in the audit log), the one in flight finishes. */
  async close(): Promise<void> {
    this.dropped += this.pending.splice(0).length;
    await this.flushed();
    await Promise.all(this.streams.map((stream) => new Promise<void>((resolve) => stream.end(resolve))));
  }

  /** One line per record, marked so a log pipeline can route audit lines apart from anything else. */
  private writeLine(record: AuditRecord): void {
    if (!this.stdout && this.streams.length === 0) return;
    const line = `${JSON.stringify({ audit: true, ...record })}\n`;
    if (this.stdout) process.stdout.write(line);
    for (const stream of this.streams) stream.write(line);
  }

  private drain(): void {
    this.posting = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    void (async () => {
      for (let event = this.pending.shift(); event; event = this.pending.shift()) {
        try {
          await this.options.limiter?.take();
          await this.options.core.createNamespacedEvent({
            namespace: event.metadata.namespace ?? "default",
            body: event,
          });
        } catch (error) {
          this.options.logger.warn(
            { err: describeError(error), reason: event.reason, object: event.involvedObject.name },
            "posting an Event failed",
          );
        }
      }
      this.posting = false;
      this.markIdle();
    })();
  }

  private toEvent(record: AuditRecord): CoreV1Event {
    const now = new Date(record.time);
    const message = `${record.summary}${attribution(record)}`;
    return {
      metadata: { name: `${record.name}.${randomBytes(8).toString("hex")}`, namespace: record.namespace },
      involvedObject: {
        apiVersion: "flags.vexil.dev/v1alpha1",
        kind: record.kind,
        name: record.name,
        namespace: record.namespace,
        ...(record.uid ? { uid: record.uid } : {}),
      },
      reason: record.reason,
      message: message.length > 1024 ? `${message.slice(0, 1023)}…` : message,
      type: record.type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: COMPONENT },
      reportingComponent: COMPONENT,
      reportingInstance: this.options.instance,
    };
  }
}

/** " (by alice via kubectl-patch)": the person when the admission policy named one, and the tool. */
export function attribution(record: Pick<AuditRecord, "user" | "fieldManager">): string {
  if (record.user && record.fieldManager) return ` (by ${record.user} via ${record.fieldManager})`;
  if (record.user) return ` (by ${record.user})`;
  if (record.fieldManager) return ` (via ${record.fieldManager})`;
  return "";
}
