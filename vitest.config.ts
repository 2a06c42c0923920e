import { defineConfig, defineProject } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Tests that start a child process because the process boundary is what they test: start-ups that fail,
 * signals, kill -9, two processes on one database, the demo, and everything a bot process prints.
 * Everything else runs the real code in the test's own process. Longest first.
 */
const PROCESS_TESTS = [
  'test/faults/budget-restarts.test.ts',
  'test/e2e/demo.test.ts',
  'test/faults/rolling-deploy.test.ts',
  'test/faults/kill-restart.test.ts',
  'test/security/redaction.test.ts',
  'test/faults/bad-config.test.ts',
  'test/faults/signals.test.ts',
  'test/integration/budget-processes.test.ts',
];

/** The process tests take longest: they start first, in the order above, and the other projects fill in around them. */
class ProcessTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = PROCESS_TESTS.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? PROCESS_TESTS.length : index;
    };
    return (await super.sort(files)).map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // Most of the suite waits on sockets and child processes, not on the CPU: more files at once than cores.
    maxWorkers: 4,
    sequence: { sequencer: ProcessTestsFirst },
    projects: [
      // Pure functions, SQLite, the simulators and property tests: no bot.
      defineProject({
        test: { ...shared, name: 'fast', include: ['test/{unit,property,integration,sim}/**/*.test.ts'], exclude: PROCESS_TESTS },
      }),
      // The real bot in this process, driven through the simulators over HTTP and Socket Mode.
      defineProject({
        test: { ...shared, name: 'app', include: ['test/{e2e,faults,security}/**/*.test.ts'], exclude: PROCESS_TESTS },
      }),
      defineProject({ test: { ...shared, name: 'process', include: PROCESS_TESTS } }),
    ],
  },
});
