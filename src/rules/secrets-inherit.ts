import { calleeSecrets } from '../analysis/callee-secrets.js';
import { LOCAL_WORKFLOW } from '../analysis/called-workflows.js';
import { explicitSecretsFix } from '../fixers/secrets-inherit.js';
import { defineRule } from './rule.js';
import { brief } from './wording.js';

const WHY =
  'Every secret of the repository, and the organisation and environment secrets it can see, goes to code ' +
  'that lives in another repository: whoever can change that workflow can read them all.';
const REMEDY =
  'Pass only the secrets it declares under `on.workflow_call.secrets`, each by name (`NAME: ${{ secrets.NAME }}`); ' +
  'a secret it reads without declaring it (which `inherit` hands over silently) must be declared there first, or ' +
  'the explicit list leaves it empty.';
/** A full commit SHA: the only ref no one can move to other code. */
const PINNED = /@[0-9a-f]{40}$/i;

export const secretsInherit = defineRule({
  meta: {
    id: 'secrets-inherit',
    summary: 'Every secret handed to a reusable workflow of another repository with `secrets: inherit`',
    description:
      'A job calls a reusable workflow in another repository with `secrets: inherit`, which hands it every ' +
      'secret the caller can read, whatever it declares. Whoever can change that workflow (or move the ref it ' +
      "is called at) can read them all. A local reusable workflow is the same repository's code: `inherit` " +
      'to it is a note, offered with a fix that passes the secrets it declares explicitly.',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      const entry = job.entries.find((e) => e.key === 'secrets');
      const uses = job.uses?.text.trim();
      if (!job.secretsInherit || !entry?.value || !uses) continue;
      if (!LOCAL_WORKFLOW.test(uses)) {
        const ref = uses.slice(uses.lastIndexOf('@') + 1);
        const moving = PINNED.test(uses)
          ? ''
          : ` \`${ref}\` is not a commit SHA: whoever can move it changes what runs with them.`;
        const handed = `Job '${job.id}' hands every secret to \`${uses}\``;
        if (facts.sameNamedLocal(job)) {
          // `owner/repo/.github/workflows/x.yml@ref` as the same repository's call: `./.github/workflows/x.yml`.
          const local = `./${uses.slice(0, uses.lastIndexOf('@')).split('/').slice(2).join('/')}`;
          report({
            at: entry.value.range,
            level: 'note',
            message: `Job '${brief(job.id)}' calls this repository's own workflow by name with \`secrets: inherit\``,
            detail:
              `${handed} with \`secrets: inherit\`, and this repository has a workflow at that path ` +
              `(\`${local}\`). If it is this repository's own, the secrets stay in it but the call runs the ` +
              `workflow as it is at \`${ref}\`, not at the running commit: call \`${local}\` instead. If it is ` +
              `another repository's, ${WHY.charAt(0).toLowerCase()}${WHY.slice(1)}`,
          });
          continue;
        }
        report({
          at: entry.value.range,
          message: `Job '${brief(job.id)}' hands every secret to another repository's workflow (\`secrets: inherit\`)`,
          detail: `${handed}, a workflow of another repository, with \`secrets: inherit\`. ${WHY}${moving} ${REMEDY}`,
        });
        continue;
      }
      // The same repository's code: a note, only when the explicit list can be worked out.
      const called = facts.calledWorkflow(job);
      const names = called && calleeSecrets(called);
      if (!names) continue;
      const list = names.length > 0 ? names.map((n) => `\`${n}\``).join(', ') : 'no secret';
      report({
        at: entry.value.range,
        level: 'note',
        message: `Job '${brief(job.id)}' passes \`secrets: inherit\` where ${names.length} declared secret(s) would do`,
        detail:
          `Job '${job.id}' hands every secret to the local workflow \`${uses}\` with \`secrets: inherit\`, ` +
          `which declares ${list}. Passing ${names.length > 0 ? 'them' : 'none'} explicitly shows ` +
          'in the caller what the callee gets, and keeps a later change there from reading the others.',
        fix: explicitSecretsFix(workflow, entry, names),
      });
    }
  },
});
