import type { LocalForgePlatformOptions } from '../../local/platform/local-forge-platform';
import { LocalForgePlatform } from '../../local/platform/local-forge-platform';
import type { PlatformNotice } from '../../local/platform/platform-notice';

/**
 * A running local platform for tests that drive the runtime directly (push with the real
 * `Queue`, `advance`, read `invocations`), with every notice it reports collected. Closed after
 * `use`, whatever happens.
 */
export async function withPlatform<T>(
  use: (platform: LocalForgePlatform, notices: PlatformNotice[]) => Promise<T>,
  options: LocalForgePlatformOptions = {},
): Promise<T> {
  const platform = await LocalForgePlatform.start(options);
  const notices: PlatformNotice[] = [];
  platform.observe((notice) => notices.push(notice));
  try {
    return await use(platform, notices);
  } finally {
    await platform.close();
  }
}

export function noticesOf<K extends PlatformNotice['kind']>(
  notices: readonly PlatformNotice[],
  kind: K,
): Extract<PlatformNotice, { kind: K }>[] {
  return notices.filter((notice): notice is Extract<PlatformNotice, { kind: K }> => {
    return notice.kind === kind;
  });
}

/** Resolves after `ms` of real time: a consumer that takes a while. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
