// jest's globalSetup: compiles dist/ (scripts/build.mjs) once, before the test files start, so
// the tests that run the compiled programs do not each wait for (or race to) a build.
import { buildServer } from '../../scripts/build.mjs';

export default async function buildServerOnce() {
  await buildServer();
}
