import type { Rule, SourceCode } from 'eslint';
import type { Finding, Fix } from '../findings.js';
import { ruleDocsUrl } from '../rules/docs.js';
import type { RuleMeta } from '../rules/rule.js';
import { lintedSource } from './linted-source.js';

/** An ESLint rule that reports one wf-lint rule's findings, taken from the file's shared lint. */
export function eslintRule(meta: RuleMeta): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: meta.summary, url: ruleDocsUrl(meta.id) },
      // Safe fixes are ESLint fixes; unsafe ones are offered as suggestions (reportOf below).
      ...(meta.fixable.includes('safe') ? { fixable: 'code' } : {}),
      hasSuggestions: meta.fixable.includes('unsafe'),
      schema: [],
    },
    create(context) {
      return {
        Program() {
          const { findings, internalErrors } = lintedSource(context);
          if (internalErrors.has(meta.id)) throw internalErrors.get(meta.id);
          // As in wf-lint --fix, a fix marked `last` waits for a pass in which no other safe fix is left.
          const othersPending = findings.some((f) => f.fix?.kind === 'safe' && !f.fix.last);
          for (const finding of findings) {
            if (finding.ruleId === meta.id) context.report(reportOf(finding, context.sourceCode, othersPending));
          }
        },
      };
    },
  };
}

function reportOf(
  { range, message, fix }: Finding,
  sourceCode: SourceCode,
  othersPending: boolean,
): Rule.ReportDescriptor {
  // From offsets rather than wf-lint's line/column: ESLint counts lines its own way (a lone CR or
  // U+2028 starts one) and its columns are 0-based.
  const loc = {
    start: sourceCode.getLocFromIndex(range.start.offset),
    end: sourceCode.getLocFromIndex(range.end.offset),
  };
  if (!fix || fix.edits.length === 0) return { loc, message };
  // `eslint --fix` applies safe fixes only; an unsafe one needs something outside the file (an IAM
  // role, a wider token), so the editor offers it as a suggestion for a person to choose.
  if (fix.kind === 'safe') return fix.last && othersPending ? { loc, message } : { loc, message, fix: fixerOf(fix) };
  return { loc, message, suggest: [{ desc: fix.description, fix: fixerOf(fix) }] };
}

function fixerOf(fix: Fix): Rule.ReportFixer {
  return (fixer) => fix.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text));
}
