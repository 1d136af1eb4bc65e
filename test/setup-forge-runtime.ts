/**
 * Jest setup, run before each test file's modules load: egress control must be in place
 * before `@forge/api` is first imported (it keeps the global `fetch` it finds then).
 * The Forge runtime globals themselves are installed by `LocalForgePlatform.start()`.
 */
import '../local/platform/install-egress';

// Tests that read logs set LOG_LEVEL themselves; the rest run quietly.
process.env.LOG_LEVEL ??= 'silent';
