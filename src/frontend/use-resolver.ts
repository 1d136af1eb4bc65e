import { useCallback, useEffect, useRef, useState } from 'react';

import type { ResolverAnswer } from '../settings/page-contract';
import type { DataOf, PayloadOf, ResolverKey } from './resolver-client';
import { callResolver } from './resolver-client';

/**
 * The ways a page talks to its resolvers: load a view once, load a list it can reload, and run
 * an action on demand.
 */

type ViewKey = 'admin/get' | 'project/get';

export interface SettingsView<K extends ViewKey> {
  /** `undefined` while loading. */
  readonly answer: ResolverAnswer<DataOf<K>> | undefined;
  /** How often the view was replaced by a successful save; forms use it as their `key`. */
  readonly saves: number;
  readonly replace: (data: DataOf<K>, reason: 'saved' | 'changed') => void;
}

/** Loads the page's view on mount; saves and other actions replace it with what they answer. */
export function useSettingsView<K extends ViewKey>(key: K): SettingsView<K> {
  const [answer, setAnswer] = useState<ResolverAnswer<DataOf<K>>>();
  const [saves, setSaves] = useState(0);

  useEffect(() => {
    let mounted = true;
    void callResolver(key, {}).then((loaded) => {
      if (mounted) setAnswer(loaded);
    });
    return () => {
      mounted = false;
    };
  }, [key]);

  const replace = useCallback((data: DataOf<K>, reason: 'saved' | 'changed') => {
    setAnswer({ ok: true, data });
    if (reason === 'saved') setSaves((count) => count + 1);
  }, []);

  return { answer, saves, replace };
}

export interface ResolverAction<K extends ResolverKey> {
  readonly pending: boolean;
  /** The last answer, until the next run starts. */
  readonly outcome: ResolverAnswer<DataOf<K>> | undefined;
  /** The payload of the last run, e.g. to repeat it with one flag changed. */
  readonly lastPayload: PayloadOf<K> | undefined;
  readonly run: (payload: PayloadOf<K>) => Promise<ResolverAnswer<DataOf<K>>>;
}

export function useResolverAction<K extends ResolverKey>(key: K): ResolverAction<K> {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<ResolverAnswer<DataOf<K>>>();
  const [lastPayload, setLastPayload] = useState<PayloadOf<K>>();

  const run = useCallback(
    async (payload: PayloadOf<K>) => {
      setPending(true);
      setOutcome(undefined);
      setLastPayload(payload);
      const answer = await callResolver(key, payload);
      setPending(false);
      setOutcome(answer);
      return answer;
    },
    [key],
  );

  return { pending, outcome, lastPayload, run };
}

type ListKey = 'admin/deliveries' | 'project/deliveries';

export interface ReloadableList<K extends ListKey> {
  /** `undefined` while the first load runs; the last answer stays while a reload runs. */
  readonly answer: ResolverAnswer<DataOf<K>> | undefined;
  readonly reloading: boolean;
  readonly reload: () => Promise<void>;
}

/** Loads a list on mount, and again whenever the page asks (after a change it made). */
export function useReloadableList<K extends ListKey>(key: K): ReloadableList<K> {
  const [answer, setAnswer] = useState<ResolverAnswer<DataOf<K>>>();
  const [reloading, setReloading] = useState(false);
  const mounted = useRef(true);

  const reload = useCallback(async () => {
    setReloading(true);
    const loaded = await callResolver(key, {});
    if (!mounted.current) return;
    setAnswer(loaded);
    setReloading(false);
  }, [key]);

  useEffect(() => {
    mounted.current = true;
    void reload();
    return () => {
      mounted.current = false;
    };
  }, [reload]);

  return { answer, reloading, reload };
}
