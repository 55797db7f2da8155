import { expect } from 'vitest';
import { HttpError } from '@/lib/http/errors';

/** The HttpError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function catchHttpError(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}
