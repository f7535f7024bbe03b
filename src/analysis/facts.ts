import type { Diagnostic } from '../workflow/load.js';
import { buildTimeline, StepOrder } from '../workflow/graph.js';
import type { Job, Workflow } from '../workflow/model.js';

/**
 * Facts about one workflow, computed once on first use and shared by every rule.
 * Later analyses (taint, credentials, durations, deploy detection) hang off this object.
 */
export class Facts {
  private readonly orders = new Map<Job, StepOrder>();

  constructor(
    readonly workflow: Workflow,
    /** Problems found while loading: invalid YAML, schema errors, limits. */
    readonly diagnostics: Diagnostic[],
  ) {}

  /** Happens-before and elapsed-time queries for a job's steps. */
  order(job: Job): StepOrder {
    let order = this.orders.get(job);
    if (!order) {
      order = new StepOrder(buildTimeline(job));
      this.orders.set(job, order);
    }
    return order;
  }
}
