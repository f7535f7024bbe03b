import { describe, expect, it } from 'vitest';
import { shortestGapMinutes } from '../../src/analysis/schedule.js';

describe('shortestGapMinutes', () => {
  it.each([
    [['0 0 * * *'], 1440],
    [['0 6 * * 1'], 10080],
    [['0 6 * * MON'], 10080],
    [['0 3,15 * * *'], 720],
    [['0 */6 * * *'], 360],
    [['30 2 * * 1-5'], 1440],
    [['0 0 1 * *'], 28 * 1440],
    [['0 0 1 JAN *'], 365 * 1440],
    // Day of month and day of week both restricted: either matches (1st of the month or Sunday).
    [['0 0 1 * 0'], 1440],
    // Two expressions together: the gap between their firings.
    [['0 3 * * *', '0 4 * * *'], 60],
    [['0 0 * * 0', '0 0 * * 7'], 10080],
  ])('%j fires at least %i minutes apart', (crons, gap) => {
    expect(shortestGapMinutes(crons)).toBe(gap);
  });

  it.each([
    [['*/5 * * * *']],
    [['0 * * * *']],
    [['not a cron']],
    [['0 0 * *']],
    [['0 25 * * *']],
    [['0 0 * * */0']],
    [[]],
  ])('gives no gap for %j (too frequent, or unreadable)', (crons) => {
    expect(shortestGapMinutes(crons)).toBeUndefined();
  });
});
