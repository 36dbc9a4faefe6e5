export { type IdGenerator, sequentialIds, TaskIds } from './ids.js';
export type { TaskRecord } from './task-record.js';
export {
  type AddOptions,
  type NewTask,
  type RestoredTask,
  type StoreTransition,
  type TaskEventListener,
  TaskStore,
  type TaskStoreOptions,
  type TransitionUpdate,
} from './task-store.js';
