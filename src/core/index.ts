// The public core: only classes, enums and interfaces. The label constants, `standardLabels`
// and `applySyncWave` stay internal (src/core/labels.ts, src/core/sync-wave.ts).
export { SyncWave, SyncWaves } from './sync-wave';
export * from './container-image';
export { CronSchedule, DayOfWeek } from './cron-schedule';
export * from './gateway';
export * from './container-resources';
export * from './sizing-preset';
