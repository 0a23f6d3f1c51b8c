#!/usr/bin/env node
// The `gyre` command. The TypeScript is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli')) {
    console.error('gyre: dist/ is missing. Run `npm run build` (npm install does it for you).');
    process.exit(2);
  }
  throw err;
});
