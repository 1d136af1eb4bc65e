/**
 * Imported first by every local entry point: puts egress control in place before any module
 * loads `@forge/api`, which keeps the global `fetch` it finds at import time.
 */
import { installEgressControl } from './egress';

installEgressControl();
