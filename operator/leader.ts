// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it (client-node has
// none): candidates poll every retry period; the holder renews every retry period and steps
// down when it could not renew for renewDeadline; a candidate takes over when the lease has
// not changed for leaseDuration *by its own clock* (it never compares its clock with the
// holder's renewTime, so clock skew cannot cause two leaders), or at once when the holder
// released it on shutdown.
import { V1MicroTime, type CoordinationV1Api, type V1Lease } from "@kubernetes/client-node";
import { describeError, isConflict, isNotFound } from "../kube/errors.ts";
import type { OperatorLogger } from "./logger.ts";

export interface LeaderElectionOptions {
  coordination: CoordinationV1Api;
  namespace: string;
  /** Lease name. Default vexil-operator-leader. */
  name?: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  logger: OperatorLogger;
}

export const DEFAULT_LEASE_NAME = "vexil-operator-leader";

export class LeaderElector {
  private readonly options: LeaderElectionOptions;
  private readonly name: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private leading = false;
  private lastRenewAt = 0;
  private observed: { record: string; at: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  /** the last read showed another holder: if we thought we led, we do not */
  private lostToOther = false;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.name = options.name ?? DEFAULT_LEASE_NAME;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops campaigning; a leader releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.leading) {
      await this.release();
      this.setLeading(false);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.retryPeriodMs));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let acquired = false;
    try {
      acquired = await this.tryAcquireOrRenew();
    } catch (error) {
      this.options.logger.warn({ err: describeError(error), lease: this.name }, "leader lease update failed");
    }
    if (this.stopped) return;
    if (acquired) {
      this.lastRenewAt = Date.now();
      this.setLeading(true);
    } else if (this.leading && Date.now() - this.lastRenewAt > this.renewDeadlineMs) {
      this.options.logger.error({ lease: this.name }, "could not renew the leader lease in time: stepping down");
      this.setLeading(false);
    } else if (this.leading && this.lostToOther) {
      this.setLeading(false);
    }
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.options.logger.info(
      { lease: this.name, identity: this.options.identity },
      leading ? "became leader" : "stopped leading",
    );
    if (leading) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { coordination, namespace, identity } = this.options;
    const now = new V1MicroTime();
    const leaseDurationSeconds = Math.max(1, Math.round(this.leaseDurationMs / 1000));
    let lease: V1Lease;
    try {
      lease = await coordination.readNamespacedLease({ name: this.name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const body: V1Lease = {
        metadata: { name: this.name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      };
      return this.write(() => coordination.createNamespacedLease({ namespace, body }));
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    this.lostToOther = holder !== "" && holder !== identity;
    if (this.lostToOther && !this.expired(lease)) return false;
    const body: V1Lease = {
      metadata: { ...lease.metadata, name: this.name, namespace },
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds,
        renewTime: now,
        acquireTime: holder === identity && spec.acquireTime ? spec.acquireTime : now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1),
      },
    };
    return this.write(() => coordination.replaceNamespacedLease({ name: this.name, namespace, body }));
  }

  /** A lease someone else holds is expired when it has not changed for its duration, as we observed it. */
  private expired(lease: V1Lease): boolean {
    const record = `${lease.spec?.holderIdentity}|${lease.metadata?.resourceVersion}`;
    const now = Date.now();
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const durationMs = (lease.spec?.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
    return now - this.observed.at >= durationMs;
  }

  private async write(request: () => Promise<V1Lease>): Promise<boolean> {
    try {
      await request();
      this.lostToOther = false;
      return true;
    } catch (error) {
      if (isConflict(error)) return false; // another candidate won this round
      throw error;
    }
  }

  /** Hands the lease back: empty holder and a 1 s duration, so a standby acquires it on its next poll. */
  private async release(): Promise<void> {
    const { coordination, namespace, identity } = this.options;
    try {
      const lease = await coordination.readNamespacedLease({ name: this.name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      lease.spec = { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: new V1MicroTime() };
      await coordination.replaceNamespacedLease({ name: this.name, namespace, body: lease });
      this.options.logger.info({ lease: this.name }, "released the leader lease");
    } catch (error) {
      this.options.logger.warn({ err: describeError(error), lease: this.name }, "releasing the leader lease failed");
    }
  }
}
