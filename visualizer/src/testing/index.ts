/**
 * Test and benchmark helpers (`@borealis/visualizer/testing`): a seeded writer of realistic run
 * folders for when no simulator run is at hand, and the browser used to look at reports.
 */

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser.js';
export { writeFixtureComparison } from './fixture-compare.js';
export { type FixtureOptions, writeFixtureRun } from './fixture-run.js';
export { measureRender, type RenderTiming } from './measure-render.js';
