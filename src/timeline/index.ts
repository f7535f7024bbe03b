/**
 * What the commands that draw timelines need, bundled on its own (dist/timeline.cjs, scripts/build.mjs):
 * the CLI loads it only for `wf-lint timeline` and `--format html`, so a lint run never compiles it.
 * It takes the model and the facts from the CLI's bundle, and imports only what is pure.
 */
export { jobAt, workflowTimeline, type Timeline } from './model.js';
export { timelineMarkdown } from './mermaid.js';
export { timelinePage } from './html.js';
export { htmlReporter } from '../report/html.js';
