import type { Step } from '../workflow/model.js';
import { actionName, listedAction } from './match.js';

/**
 * Deploy actions that stop themselves well before GitHub's 360-minute job timeout: a hung deploy
 * through them fails on its own. From each action's documented inputs:
 * - `actions/deploy-pages`: `timeout`, 600000 ms (10 minutes) by default;
 * - `aws-actions/amazon-ecs-deploy-task-definition`: returns at once unless
 *   `wait-for-service-stability`, and then waits `wait-for-minutes` (30 by default).
 */
export const SELF_BOUNDED_ACTIONS = ['actions/deploy-pages', 'aws-actions/amazon-ecs-deploy-task-definition'];

/** Whether a step is bounded: its own `timeout-minutes:`, or an action that times itself out. */
export function stepIsBounded(step: Step): boolean {
  const action = actionName(step);
  return step.timeoutMinutes !== undefined || (action !== undefined && listedAction(SELF_BOUNDED_ACTIONS, action));
}
