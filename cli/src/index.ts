export { main } from './main.js';
export { buildProgram, type CommandModule } from './program.js';
