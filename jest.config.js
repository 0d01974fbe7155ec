// Two projects: `unit` (engine and pure helpers, no database) and `integration`
// (a real Postgres and one booted Medusa shared by every file, see test/support).
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }]

module.exports = {
  // Integration tests wait for the event bus (it stages jobs every 3 s) and place real orders.
  testTimeout: 120000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: { "^.+\\.tsx?$": tsJest },
      testMatch: ["<rootDir>/src/**/__tests__/**/*.spec.ts", "<rootDir>/scripts/**/__tests__/**/*.spec.ts"],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform: { "^.+\\.tsx?$": tsJest },
      testMatch: ["<rootDir>/test/integration/**/*.spec.ts"],
      globalSetup: "<rootDir>/test/support/global-setup.js",
      globalTeardown: "<rootDir>/test/support/global-teardown.js",
    },
    {
      // Chromium (Debian's, through playwright-core) against the integration
      // shop with the demo storefront on and a trained model: `npm run test:browser`.
      displayName: "browser",
      testEnvironment: "node",
      transform: { "^.+\\.tsx?$": tsJest },
      testMatch: ["<rootDir>/test/browser/**/*.spec.ts"],
      globalSetup: "<rootDir>/test/support/browser-global-setup.js",
      globalTeardown: "<rootDir>/test/support/global-teardown.js",
    },
    {
      // End-to-end: each spec boots what it needs (its own shop, a storefront
      // installed from the registry), one at a time: `--runInBand`.
      displayName: "e2e",
      testEnvironment: "node",
      transform: { "^.+\\.tsx?$": tsJest },
      testMatch: ["<rootDir>/test/e2e/**/*.spec.ts"],
      // The example storefront's own node_modules and build, when installed in place.
      modulePathIgnorePatterns: ["<rootDir>/examples/"],
    },
  ],
}
