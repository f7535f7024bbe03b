#!/usr/bin/env python3
"""Draws the cases to judge from a wf-lint JSON report, the way the project measures precision.

  python3 scripts/judge-sample.py REPORT CORPUS_ROOT --rules R1,R2 [--k 30] [--seed N] [--slice all|held-out|tuning]
      [--exclude FILE]
  python3 scripts/judge-sample.py REPORT CORPUS_ROOT --recall R1,R2 [--k 40] [--seed N] [--slice ...] [--exclude FILE]

The held-out slice is the files whose sha1(path relative to CORPUS_ROOT) starts with 0, 1, 2 or 3
(about a quarter): never opened while tuning. Per rule, random.seed(N) then random.sample(pool, k)
over the rule's findings in report order (all of them when there are fewer than k). Each case is
printed with an id, its place, the message and the lines around it, ready for a verdict line:
  id  rule  level  file:line:col  verdict  reason
--exclude names a file listing corpus paths (one per line) to leave out, e.g. files earlier samples showed to anyone.
--recall draws files with no finding of the given rules that contain `secrets.` and a deploy word (the recall pool).
"""
import argparse
import hashlib
import json
import os
import random
import re

DEPLOY_WORD = re.compile(r'deploy', re.IGNORECASE)


def held_out(rel: str) -> bool:
    return hashlib.sha1(rel.encode()).hexdigest()[0] in '0123'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('report')
    parser.add_argument('root')
    parser.add_argument('--rules')
    parser.add_argument('--recall')
    parser.add_argument('--exclude')
    parser.add_argument('--k', type=int, help='cases per rule (30) or recall files (40)')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--slice', choices=['all', 'held-out', 'tuning'], default='all')
    parser.add_argument('--context', type=int, default=2)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    report = json.load(open(args.report))
    excluded = set(open(args.exclude).read().split()) if args.exclude else set()

    def in_slice(rel: str) -> bool:
        if rel in excluded:
            return False
        return args.slice == 'all' or held_out(rel) == (args.slice == 'held-out')

    entries = [(os.path.relpath(os.path.abspath(e['file']), root), e) for e in report['files']]
    if args.recall:
        recall_sample(root, [(rel, e) for rel, e in entries if in_slice(rel)], set(args.recall.split(',')), args)
        return
    for rule in args.rules.split(','):
        pool = []
        for rel, entry in entries:
            if in_slice(rel):
                pool += [(rel, f) for f in entry['findings'] if f['rule'] == rule]
        random.seed(args.seed)
        k = args.k or 30
        picked = pool if len(pool) <= k else random.sample(pool, k)
        print(f'## {rule}: {len(picked)} of {len(pool)} findings (slice {args.slice}, seed {args.seed})\n')
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


def recall_sample(root: str, entries: list, rules: set, args: argparse.Namespace) -> None:
    """Files that look like deploys (a secret and a deploy word) and have no finding of the given rules."""
    pool = []
    for rel, entry in entries:
        if any(f['rule'] in rules for f in entry['findings']):
            continue
        text = open(os.path.join(root, rel), encoding='utf-8', errors='replace').read()
        if 'secrets.' in text and DEPLOY_WORD.search(text):
            pool.append(rel)
    random.seed(args.seed)
    k = args.k or 40
    picked = pool if len(pool) <= k else random.sample(pool, k)
    print(f'## recall: {len(picked)} of {len(pool)} files (slice {args.slice}, seed {args.seed})\n')
    for n, rel in enumerate(picked, 1):
        print(f'rc{n:02d}  {rel}')


if __name__ == '__main__':
    main()
