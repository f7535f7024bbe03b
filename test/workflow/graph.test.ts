import { describe, expect, it } from 'vitest';
import { buildTimeline, StepOrder, type Duration } from '../../src/workflow/graph.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import type { Step } from '../../src/workflow/model.js';

/** A job from step lines written as YAML flow mappings, e.g. `{name: build, run: make}`. */
function job(...items: string[]) {
  const text = [
    'on: push',
    'jobs:',
    '  j:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...items.map((i) => `      - ${i}`),
    '',
  ].join('\n');
  const loaded = loadWorkflow('graph.yml', text);
  const j = loaded.workflow!.jobs[0];
  const order = new StepOrder(buildTimeline(j));
  const step = (name: string) => j.steps.find((s) => s.label === name)!;
  return { loaded, job: j, order, step };
}

/** Minutes by step label; unnamed steps take 1 minute, the worst case is twice the typical. */
const minutes =
  (table: Record<string, number>) =>
  (s: Step): Duration => {
    const m = table[s.label] ?? 1;
    return { typical: m * 60, worst: m * 120 };
  };

describe('happens-before', () => {
  it('orders foreground steps by position', () => {
    const { order, step } = job('{name: a, run: x}', '{name: b, run: x}', '{name: c, run: x}');
    expect(order.happensBefore(step('a'), step('c'))).toBe(true);
    expect(order.happensBefore(step('c'), step('a'))).toBe(false);
    expect(order.mayOverlap(step('a'), step('b'))).toBe(false);
  });

  it('lets a background step overlap the steps after it until a wait joins it', () => {
    const { order, step } = job(
      '{name: srv, id: srv, background: true, run: x}',
      '{name: t, run: x}',
      '{wait: srv}',
      '{name: after, run: x}',
    );
    expect(order.mayOverlap(step('srv'), step('t'))).toBe(true);
    expect(order.happensBefore(step('srv'), step('after'))).toBe(true);
  });

  it('joins every pending background step at wait-all', () => {
    const { order, step } = job(
      '{name: a, background: true, run: x}',
      '{name: b, background: true, run: x}',
      "{wait-all: ''}",
      '{name: c, run: x}',
    );
    expect(order.happensBefore(step('a'), step('c'))).toBe(true);
    expect(order.happensBefore(step('b'), step('c'))).toBe(true);
    expect(order.mayOverlap(step('a'), step('b'))).toBe(true);
  });

  it('runs parallel members together and waits for all of them', () => {
    const {
      order,
      step,
      job: j,
    } = job('{name: pre, run: x}', '{parallel: [{name: p1, run: x}, {name: p2, run: x}]}', '{name: post, run: x}');
    expect(j.steps.map((s) => s.label)).toEqual(['pre', 'p1', 'p2', 'post']);
    expect(order.mayOverlap(step('p1'), step('p2'))).toBe(true);
    expect(order.happensBefore(step('pre'), step('p2'))).toBe(true);
    expect(order.happensBefore(step('p1'), step('post'))).toBe(true);
    expect(order.happensBefore(step('p2'), step('post'))).toBe(true);
  });

  it('treats a cancelled background step as ended at its cancel', () => {
    const { order, step } = job(
      '{name: srv, id: srv, background: true, run: x}',
      '{name: t, run: x}',
      '{cancel: srv}',
      '{name: after, run: x}',
    );
    expect(order.mayOverlap(step('srv'), step('t'))).toBe(true);
    expect(order.happensBefore(step('srv'), step('after'))).toBe(true);
  });

  it('reports a wait on an id that does not exist, without crashing', () => {
    const { order } = job('{name: a, run: x}', '{wait: nope}', '{name: b, run: x}');
    expect(order.timeline.problems.map((p) => [p.message, p.range.start.line, p.range.start.column])).toEqual([
      ['`wait` names "nope", which is not the id of a step in job "j".', 7, 16],
    ]);
  });

  it('reports a wait on a foreground step and a cancel of an unknown step', () => {
    const { order } = job('{name: a, id: a, run: x}', '{wait: [a]}', '{cancel: ghost}');
    expect(order.timeline.problems.map((p) => p.message)).toEqual([
      '`wait` names "a", which is not a background step; it has already finished by then.',
      '`cancel` names "ghost", which is not the id of a step in job "j".',
    ]);
  });
});

describe('elapsed time', () => {
  it('sums the foreground steps between two steps and names them', () => {
    const { order, step } = job(
      '{name: login, run: x}',
      '{name: build, run: x}',
      '{name: test, run: x}',
      '{name: read, run: x}',
    );
    const e = order.elapsed(step('login'), step('read'), minutes({ build: 30, test: 40 }))!;
    expect([e.typical, e.worst]).toEqual([70 * 60, 140 * 60]);
    expect(e.path.map((s) => s.label)).toEqual(['build', 'test']);
  });

  it('adds nothing for a background step that is never joined before the read', () => {
    const { order, step } = job(
      '{name: login, run: x}',
      '{name: build, background: true, run: x}',
      '{name: read, run: x}',
    );
    const e = order.elapsed(step('login'), step('read'), minutes({ build: 90 }))!;
    expect(e.typical).toBe(0);
  });

  it('counts a parallel group as its slowest member', () => {
    const { order, step } = job(
      '{name: login, run: x}',
      '{parallel: [{name: fast, run: x}, {name: slow, run: x}]}',
      '{name: read, run: x}',
    );
    const e = order.elapsed(step('login'), step('read'), minutes({ fast: 5, slow: 70 }))!;
    expect(e.typical).toBe(70 * 60);
    expect(e.path.map((s) => s.label)).toEqual(['slow']);
  });

  it('waits for whatever is left of a background step started before the credential step', () => {
    const { order, step } = job(
      '{name: compile, id: compile, background: true, run: x}',
      '{name: login, run: x}',
      '{name: lint, run: x}',
      '{wait: compile}',
      '{name: read, run: x}',
    );
    const e = order.elapsed(step('login'), step('read'), minutes({ compile: 50, login: 1, lint: 10 }))!;
    // compile ends at 50 min; login ends at 1 min: 49 minutes pass before the read can start.
    expect(e.typical).toBe(49 * 60);
    expect(e.path.map((s) => s.label)).toEqual(['compile']);
  });

  it('counts nested waits: a wait inside a chain of background steps', () => {
    const { order, step } = job(
      '{name: login, run: x}',
      '{name: a, id: a, background: true, run: x}',
      '{name: b, id: b, background: true, run: x}',
      '{wait: a}',
      '{name: mid, run: x}',
      '{wait: [b]}',
      '{name: read, run: x}',
    );
    const e = order.elapsed(step('login'), step('read'), minutes({ a: 10, b: 30, mid: 5 }))!;
    expect(e.typical).toBe(30 * 60);
  });

  it('adds nothing after a cancel', () => {
    const { order, step } = job(
      '{name: login, run: x}',
      '{name: srv, id: srv, background: true, run: x}',
      '{cancel: srv}',
      '{name: read, run: x}',
    );
    expect(order.elapsed(step('login'), step('read'), minutes({ srv: 600 }))!.typical).toBe(0);
  });

  it('times a read inside a parallel group from when the group starts', () => {
    const { order, step } = job('{name: login, run: x}', '{parallel: [{name: read, run: x}, {name: build, run: x}]}');
    expect(order.elapsed(step('login'), step('read'), minutes({ build: 90 }))!.typical).toBe(0);
  });

  it('has no elapsed time for steps that may overlap', () => {
    const { order, step } = job('{parallel: [{name: a, run: x}, {name: b, run: x}]}');
    expect(order.elapsed(step('a'), step('b'), minutes({}))).toBeUndefined();
  });
});
