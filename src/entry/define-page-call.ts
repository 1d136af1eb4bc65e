import type Resolver from '@forge/resolver';
import type * as z from 'zod';

import type { PageDeps } from '../settings/ports';
import type { ResolverContext } from './page-deps';
import { pageDeps } from './page-deps';
import { answer, parsePayload } from './resolver-answer';

interface Request {
  readonly payload: unknown;
  readonly context: ResolverContext;
}

/**
 * One resolver key: its payload checked against `schema` before `run` sees it, the page's
 * dependencies built from the platform's context, every outcome turned into an answer.
 */
export function definePageCall<T, R>(
  resolver: Resolver,
  module: string,
  key: string,
  schema: z.ZodType<T>,
  run: (deps: PageDeps, payload: T, context: ResolverContext) => Promise<R>,
): void {
  resolver.define(key, ({ payload, context }: Request) => {
    const deps = pageDeps(context, module);
    return answer(deps.log, () => run(deps, parsePayload(schema, payload), context));
  });
}
