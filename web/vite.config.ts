import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The build goes where the Go service embeds it (api/ui/dist). Emptying that folder deletes
// the committed placeholder that lets `go build` work before `make ui`, so put it back.
const outDir = fileURLToPath(new URL('../api/ui/dist', import.meta.url));

function keepPlaceholder(): Plugin {
  return {
    name: 'keep-placeholder',
    apply: 'build',
    closeBundle() {
      writeFileSync(resolve(outDir, '.keep'), '');
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [keepPlaceholder()],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200, // cytoscape alone is ~400 kB minified; one chunk is fine here
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
