/**
 * Carries a client secret from the form to the token request exactly once. react-query keeps a mutation's
 * variables in its cache; holding the secret in this box means the cache keeps only an emptied box.
 */
export class OneTimeSecret {
  #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Returns the secret and forgets it; a second call returns ''. */
  take(): string {
    const value = this.#value;
    this.#value = '';
    return value;
  }

  get consumed(): boolean {
    return this.#value === '';
  }

  /** Keeps the secret out of JSON.stringify, devtools serialisers and accidental logging. */
  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }
}
