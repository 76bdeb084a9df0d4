// The Argo CD health check (deploy/argocd-health.lua) run in a real Lua VM against the statuses
// the operator writes (docs/operator.md, "Status").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runHealthCheck } from './lua-health.ts';

const script = readFileSync(new URL('../../../deploy/argocd-health.lua', import.meta.url), 'utf8');

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

function flag(generation: number, status?: { observedGeneration?: number; conditions?: Condition[] }): object {
  return {
    apiVersion: 'flags.vexil.dev/v1alpha1',
    kind: 'FeatureFlag',
    metadata: { name: 'new-checkout', namespace: 'shop', generation },
    spec: { type: 'boolean', enabled: true },
    ...(status ? { status } : {}),
  };
}

const ready: Condition = {
  type: 'Ready',
  status: 'True',
  reason: 'Reconciled',
  message: 'served in production, staging',
};
const stalledMessage =
  'production: spec.rules[0].segments[0]: segment "ghost" does not exist (defined: premium) (still serving generation 2); fix the FeatureFlag and re-apply';

describe('Argo CD health check', () => {
  it('is Healthy when Ready=True for the current generation, with the Ready message', () => {
    const health = runHealthCheck(script, flag(3, { observedGeneration: 3, conditions: [ready] }));
    expect(health).toEqual({ status: 'Healthy', message: 'served in production, staging' });
  });

  it('is Progressing when Ready=True describes an older generation', () => {
    const health = runHealthCheck(script, flag(4, { observedGeneration: 3, conditions: [ready] }));
    expect(health).toEqual({
      status: 'Progressing',
      message: 'Waiting for the Vexil operator to reconcile generation 4',
    });
  });

  it('is Degraded when Stalled=True for the current generation, with the reason and the fix', () => {
    const health = runHealthCheck(
      script,
      flag(3, {
        observedGeneration: 3,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'UnknownSegment', message: stalledMessage },
          { type: 'Stalled', status: 'True', reason: 'UnknownSegment', message: stalledMessage },
        ],
      }),
    );
    expect(health).toEqual({ status: 'Degraded', message: `UnknownSegment: ${stalledMessage}` });
  });

  it('is Progressing, not Degraded, when Stalled=True is about a generation already replaced', () => {
    const stalled: Condition = { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message: 'bad' };
    const health = runHealthCheck(script, flag(5, { observedGeneration: 4, conditions: [stalled] }));
    expect(health.status).toBe('Progressing');
  });

  it('is Progressing while Reconciling=True, with the message naming what is being compiled', () => {
    const message = 'compiling generation 2 for staging';
    const health = runHealthCheck(
      script,
      flag(2, {
        observedGeneration: 2,
        conditions: [
          { type: 'Ready', status: 'Unknown', reason: 'Progressing', message },
          { type: 'Reconciling', status: 'True', reason: 'Progressing', message },
        ],
      }),
    );
    expect(health).toEqual({ status: 'Progressing', message: `Progressing: ${message}` });
  });

  it('is Progressing when the resource has no status yet', () => {
    expect(runHealthCheck(script, flag(1))).toEqual({
      status: 'Progressing',
      message: 'Waiting for the Vexil operator to reconcile',
    });
  });

  it('is Progressing when the status has no conditions', () => {
    expect(runHealthCheck(script, flag(1, { observedGeneration: 1 }))).toEqual({
      status: 'Progressing',
      message: 'Waiting for the Vexil operator to reconcile',
    });
  });

  it('is Progressing when Ready=False with a retried snapshot write, naming the reason', () => {
    const message = 'production: writing the snapshot failed: connection refused; retrying';
    const health = runHealthCheck(
      script,
      flag(2, {
        observedGeneration: 2,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'SnapshotWriteFailed', message },
          { type: 'Reconciling', status: 'True', reason: 'SnapshotWriteFailed', message },
        ],
      }),
    );
    expect(health).toEqual({ status: 'Progressing', message: `SnapshotWriteFailed: ${message}` });
  });

  it('keeps the reason when a condition has no message', () => {
    const health = runHealthCheck(
      script,
      flag(2, {
        observedGeneration: 2,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'InvalidSpec' },
          { type: 'Stalled', status: 'True', reason: 'InvalidSpec' },
        ],
      }),
    );
    expect(health).toEqual({ status: 'Degraded', message: 'InvalidSpec' });
  });

  it('is Progressing when the conditions list is empty', () => {
    const health = runHealthCheck(script, flag(1, { observedGeneration: 1, conditions: [] }));
    expect(health).toEqual({ status: 'Progressing', message: 'Reconciling' });
  });

  it('reports a Lua runtime error from a broken script instead of a status', () => {
    expect(() => runHealthCheck('return obj.metadata.missing.field', flag(1))).toThrow(
      /Lua runtime error: argocd-health.lua:1: attempt to index a nil value \(field 'missing'\)/,
    );
  });
});
