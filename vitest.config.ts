import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/unit/setup.ts'],
    environment: 'happy-dom',
    restoreMocks: true,
    // Unit tests see the development/test build's sites (the demo on 127.0.0.1, as the e2e suite
    // does); tests/unit/release-sites.test.ts re-imports the registry without it.
    env: { STILLFRAME_DEV_HOSTS: '1' },
  },
});
