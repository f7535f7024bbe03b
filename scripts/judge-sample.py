#!/usr/bin/env python3
"""Draws the cases to judge from a wf-lint JSON report, the way the project measures precision.

  python3 scripts/judge-sample.py REPORT CORPUS_ROOT --rules R1,R2 [--k 30] [--seed N] [--slice all|held-out|tuning]

The held-out slice is the files whose sha1(path relative to CORPUS_ROOT) starts with 0, 1, 2 or 3
(about a quarter): never opened while tuning. Per rule, random.seed(N) then random.sample(pool, k)
over the rule's findings in report order (all of them when there are fewer than k). Each case is
printed with an id, its place, the message and the lines around it, ready for a verdict line:
  id  rule  level  file:line:col  verdict  reason
"""
import argparse
import hashlib
import json
import os
import random


def held_out(rel: str) -> bool:
    return hashlib.sha1(rel.encode()).hexdigest()[0] in '0123'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('report')
    parser.add_argument('root')
    parser.add_argument('--rules', required=True)
    parser.add_argument('--k', type=int, default=30)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--slice', choices=['all', 'held-out', 'tuning'], default='all')
    parser.add_argument('--context', type=int, default=2)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    report = json.load(open(args.report))
    for rule in args.rules.split(','):
        pool = []
        for entry in report['files']:
            rel = os.path.relpath(os.path.abspath(entry['file']), root)
            if args.slice != 'all' and held_out(rel) != (args.slice == 'held-out'):
                continue
            pool += [(rel, f) for f in entry['findings'] if f['rule'] == rule]
        random.seed(args.seed)
        picked = pool if len(pool) <= args.k else random.sample(pool, args.k)
        print(f'## {rule}: {len(picked)} of {len(pool)} findings ({args.slice}, seed {args.seed})\n')
        for n, (rel, f) in enumerate(picked, 1):
            line, col = f['start']['line'], f['start']['column']
            print(f"{rule[:2]}{n:02d}  {rule}  {f['level']}  {rel}:{line}:{col}")
            print(f"  > {f['message']}")
            for r in f.get('related', [])[:6]:
                print(f"  - {r['start']['line']}:{r['start']['column']} {r['message']}")
            lines = open(os.path.join(root, rel), encoding='utf-8', errors='replace').read().splitlines()
            for i in range(max(0, line - 1 - args.context), min(len(lines), line + args.context)):
                print(f"  {'>' if i == line - 1 else ' '}{i + 1:5d} | {lines[i]}")
            print()


if __name__ == '__main__':
    main()
