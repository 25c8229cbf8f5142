// Shared jest configuration: TypeScript through ts-jest (transpile only; `typecheck` targets check types) and the
// workspace path aliases of tsconfig.base.json.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

// `infra: true` for projects whose tests need RabbitMQ and MongoDB: the global setup provides them or fails at once.
function projectConfig(projectDir, { infra = false, ...overrides } = {}) {
  return {
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(projectDir, 'tsconfig.json') }],
    },
    moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: path.join(__dirname, '/') }),
    ...(infra
      ? {
          globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
          globalTeardown: path.join(__dirname, 'libs/testing/src/jest/global-teardown.ts'),
        }
      : {}),
    testTimeout: 30000,
    ...overrides,
  };
}

module.exports = { projectConfig };
