import { Fragment } from 'react';

/** After a run of separators, before the next word: `https://`, `/v2/`, `patient/`, `aed7-`, `?_type=`. */
const AFTER_SEPARATORS = /(?<=[/?&=.,:;~+-])(?![/?&=.,:;~+-])/;

/** The pieces a line may break between: each ends with its run of separators. */
export function splitAfterSeparators(text: string): string[] {
  return text.split(AFTER_SEPARATORS);
}

/**
 * A URL, path, scope or identifier with a line-break opportunity after each run of separators (issue #16), so a
 * long value wraps as `…/v2/` + `fhir` or `patient/` + `Patient.rs`, never `…/v2/f` + `hir`. Pair it with
 * `wrap-anywhere`, which splits a run that has no separator (a key id) only when it cannot fit on a line of its own.
 * Copying the text copies it unchanged: `<wbr>` adds no characters.
 */
export function Breakable({ text }: { text: string }) {
  return splitAfterSeparators(text).map((part, index) => (
    <Fragment key={index}>
      {index > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}
