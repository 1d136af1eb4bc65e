import { invoke } from '@forge/bridge';
import type * as z from 'zod';

import type {
  ADMIN_KEYS,
  AdminSavePayload,
  AdminView,
  DeliveryList,
  LabelPage,
  PROJECT_KEYS,
  ProjectSavePayload,
  ProjectView,
  ResolverAnswer,
  ResendPayload,
  ResentLetter,
  ResentLetters,
  ResolverError,
  RotatedSecret,
  TestEventResult,
  labelSearchPayload,
} from '../settings/page-contract';

/**
 * The pages' one way to call a resolver. Every outcome, including a bridge that cannot be
 * reached or a resolver that answers nothing, comes back as a `ResolverAnswer`, so a page never
 * has to catch. Only types come from the page contract: zod stays out of the page bundle.
 */

type NoPayload = Record<string, never>;

/** What each resolver key takes and what its `data` is. */
export interface ResolverCalls {
  'admin/get': { payload: NoPayload; data: AdminView };
  'admin/save': { payload: AdminSavePayload; data: AdminView };
  'admin/rotate-secret': { payload: NoPayload; data: RotatedSecret };
  'admin/test': { payload: NoPayload; data: TestEventResult };
  'admin/deliveries': { payload: NoPayload; data: DeliveryList };
  'admin/resend': { payload: ResendPayload; data: ResentLetter };
  'admin/resend-all': { payload: NoPayload; data: ResentLetters };
  'project/get': { payload: NoPayload; data: ProjectView };
  'project/save': { payload: ProjectSavePayload; data: ProjectView };
  'project/labels': { payload: z.infer<typeof labelSearchPayload>; data: LabelPage };
  'project/deliveries': { payload: NoPayload; data: DeliveryList };
}

export type ResolverKey = keyof ResolverCalls;
export type PayloadOf<K extends ResolverKey> = ResolverCalls[K]['payload'];
export type DataOf<K extends ResolverKey> = ResolverCalls[K]['data'];

// Stops compiling when the contract gains or drops a key that the map above does not match.
type ContractKey = (typeof ADMIN_KEYS)[number] | (typeof PROJECT_KEYS)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _keysMatchContract: Same<ResolverKey, ContractKey> = true;

export async function callResolver<K extends ResolverKey>(
  key: K,
  payload: PayloadOf<K>,
): Promise<ResolverAnswer<DataOf<K>>> {
  let answer: unknown;
  try {
    answer = await invoke(key, payload);
  } catch {
    return failure('unavailable', 'The app could not be reached. Try again in a moment.');
  }

  if (isAnswer(answer)) return answer as ResolverAnswer<DataOf<K>>;
  return failure('internal', 'The app gave no usable answer. Reload the page and try again.');
}

function isAnswer(value: unknown): value is ResolverAnswer<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'data' in value;
  return 'error' in value && typeof value.error === 'object' && value.error !== null;
}

function failure(code: ResolverError['code'], message: string): ResolverAnswer<never> {
  return { ok: false, error: { code, message } };
}
