/**
 * The layering of src/ (see README "Development"), checked by `npm run lint` and so by `npm test`:
 *
 *   main → bot → listeners/ · webhooks/ · jobs/   (surfaces: what Slack sends, what Cashfree pushes, what the clock starts)
 *              → tracking/                         (the use cases every surface shares)
 *              → app/ · slack/ (pure builders) · store/ · cashfree/ · metrics
 *              → vkyc/ (pure decisions and domain types) → text/ · config · log · http · qr
 *
 * Arrows point down only; no surface imports another surface.
 */
const SURFACES = '(listeners|webhooks|jobs)';
const below = (folders) => `^src/(${folders.join('|')})(/|\\.ts$)`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Modules must not import each other in a circle.', from: {}, to: { circular: true } },
    {
      name: 'surfaces-stay-apart',
      severity: 'error',
      comment: 'A surface (listeners, webhooks, jobs) never imports another: what two need is a use case in tracking/.',
      from: { path: `^src/${SURFACES}/` },
      to: { path: `^src/${SURFACES}/`, pathNot: '^src/$1/' },
    },
    {
      name: 'listeners-stay-apart',
      severity: 'error',
      comment: 'commands, actions, views, events, shortcuts and functions share only what src/listeners/*.ts holds.',
      from: { path: '^src/listeners/(commands|actions|views|events|shortcuts|functions)/' },
      to: { path: '^src/listeners/(commands|actions|views|events|shortcuts|functions)/', pathNot: '^src/listeners/$1/' },
    },
    {
      name: 'only-the-root-wires',
      severity: 'error',
      comment: 'Nothing below the root imports bot.ts or main.ts.',
      from: { pathNot: '^src/(main|bot)\\.ts$' },
      to: { path: '^src/(main|bot)\\.ts$' },
    },
    {
      name: 'use-cases-below-surfaces',
      severity: 'error',
      from: { path: below(['tracking', 'app', 'slack', 'store', 'cashfree', 'metrics', 'vkyc', 'text', 'config', 'log', 'http', 'qr']) },
      to: { path: `^src/${SURFACES}/` },
    },
    {
      name: 'adapters-below-use-cases',
      severity: 'error',
      from: { path: below(['app', 'slack', 'store', 'cashfree', 'metrics', 'vkyc', 'text', 'config', 'log', 'http', 'qr']) },
      to: { path: '^src/tracking/' },
    },
    {
      name: 'builders-are-pure',
      severity: 'error',
      comment: 'slack/ builds messages; it never reaches the Bolt app, the clients or the use cases.',
      from: { path: '^src/slack/' },
      to: { path: below(['app', 'cashfree', 'metrics', 'tracking']) },
    },
    {
      name: 'builders-see-no-database',
      severity: 'error',
      comment: 'A builder may name a read model type from store/, never call it.',
      from: { path: '^src/slack/' },
      to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-stay-apart',
      severity: 'error',
      comment: 'store/ and cashfree/ meet only in the use cases; both speak vkyc/ domain types.',
      from: { path: '^src/(store|cashfree|app)/' },
      to: { path: below(['store', 'cashfree', 'app', 'slack']), pathNot: '^src/$1/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'vkyc/ holds decisions and domain types: no I/O, nothing above it.',
      from: { path: '^src/vkyc/' },
      to: { path: below(['app', 'slack', 'store', 'cashfree', 'metrics', 'tracking', 'config', 'log', 'http', 'qr']) },
    },
    {
      name: 'words-at-the-bottom',
      severity: 'error',
      from: { path: '^src/text/' },
      to: { path: '^src/', pathNot: '^src/text/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
  },
};
