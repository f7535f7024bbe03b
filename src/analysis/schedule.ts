/**
 * How often `on: schedule` starts a run: the shortest gap, in minutes, between two firings of a workflow's
 * cron expressions together (GitHub's POSIX cron in UTC: minute, hour, day of month, month, day of week;
 * lists, ranges, steps, `*`, and month or day names). A deploy started only by a schedule whose firings are
 * further apart than its run can last never overlaps itself.
 */

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** More firings a day than this already leave under 6 hours (GitHub's default job timeout) between two. */
const MAX_DAILY = 4;
/** Days walked from 2027-01-01: two years, with one 29 February, for monthly and yearly schedules. */
const DAYS = 731;

interface Cron {
  times: number[];
  days: Set<number>;
  daysOfWeek: Set<number>;
  months: Set<number>;
  /** POSIX: when both day fields are restricted, a day matches either. */
  either: boolean;
}

/**
 * The shortest gap between firings of the expressions, or undefined when one cannot be read or they fire
 * more than a few times a day (a gap under six hours).
 */
export function shortestGapMinutes(expressions: string[]): number | undefined {
  const crons = expressions.map(parseCron);
  if (crons.length === 0 || crons.some((c) => c === undefined)) return undefined;
  const firings = new Set<number>();
  for (let day = 0; day < DAYS; day++) {
    const date = new Date(Date.UTC(2027, 0, 1 + day));
    const fired = crons.flatMap((c) => (firesOn(c!, date) ? c!.times : []));
    if (new Set(fired).size > MAX_DAILY) return undefined;
    for (const t of fired) firings.add(day * 1440 + t);
  }
  const sorted = [...firings].sort((a, b) => a - b);
  if (sorted.length < 2) return sorted.length === 1 ? DAYS * 1440 : undefined;
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return gap;
}

function firesOn(cron: Cron, date: Date): boolean {
  if (!cron.months.has(date.getUTCMonth() + 1)) return false;
  const byDay = cron.days.has(date.getUTCDate());
  const byWeekday = cron.daysOfWeek.has(date.getUTCDay());
  return cron.either ? byDay || byWeekday : byDay && byWeekday;
}

function parseCron(expression: string): Cron | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]));
  if (sets.some((s) => s === undefined)) return undefined;
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  if (weekdays.has(7)) weekdays.add(0);
  const times = [...hours].flatMap((h) => [...minutes].map((m) => h * 60 + m));
  const restricted = (i: number) => !parts[i].startsWith('*');
  return { times, days, daysOfWeek: weekdays, months, either: restricted(2) && restricted(4) };
}

function parseField(text: string, field: { min: number; max: number; names?: string[] }): Set<number> | undefined {
  const values = new Set<number>();
  const value = (s: string) => {
    const named = field.names?.indexOf(s.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + (field.min === 1 ? 1 : 0) : /^\d+$/.test(s) ? Number(s) : NaN;
    return n >= field.min && n <= field.max ? n : undefined;
  };
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') [from, to] = [field.min, field.max];
    else if (range.includes('-')) [from, to] = range.split('-').map(value);
    else [from, to] = [value(range), stepText === undefined ? value(range) : field.max];
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}
