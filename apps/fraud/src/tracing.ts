// Loaded first by main.ts (a side-effect import runs before the imports after it): the
// instrumentations must patch http, express, pg, kafkajs and ioredis before anything requires them.
import { startTracing } from '@tally/observability';

startTracing('fraud');
