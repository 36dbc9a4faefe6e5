import type { InlineConfig } from 'vite';

/**
 * One build configuration for both the on-demand bundle (bundle.ts) and `npm run dev`
 * (vite.config.ts). Fixed file names (app.js, app.css) let the node side inline them into
 * report.html; one chunk and no module-preload helper keep the page to a single script.
 */
export function viteBuildConfig(root: string, outDir: string): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      cssCodeSplit: false,
      modulePreload: false,
      assetsInlineLimit: Number.MAX_SAFE_INTEGER,
      reportCompressedSize: false,
      rolldownOptions: {
        output: { entryFileNames: 'app.js', assetFileNames: 'app[extname]', codeSplitting: false },
      },
    },
  };
}
