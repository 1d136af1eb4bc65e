/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/local', '<rootDir>/test'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup-forge-runtime.ts', '<rootDir>/test/setup-bridge.ts'],
  // Replays run real HTTP on loopback; on a loaded 2-core machine some take seconds. A slow
  // machine should not fail a test: speed is measured by the benchmark, not asserted here.
  testTimeout: 30_000,
  // Both cores: the fault matrix spends seconds waiting on a real 10 s attempt timeout.
  maxWorkers: 2,
};
