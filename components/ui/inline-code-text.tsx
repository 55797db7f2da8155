import { Fragment } from 'react';

/** Renders `backticked` spans of a provider's prose as inline code; everything else as text. */
export function InlineCodeText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="rounded bg-zinc-100 px-1 py-px font-mono text-[0.92em] text-zinc-800">
            {part}
          </code>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
