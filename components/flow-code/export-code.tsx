'use client';

import { useRef, useState } from 'react';
import { copyText, downloadText } from '@/components/timeline/download-text';
import { Button } from '@/components/ui/button';
import type { ProgramLanguage } from '@/lib/client/flow-code/generate';
import type { ExchangeDto, ProviderDto, ProviderEnvironmentDto, TokenDto } from '@/lib/contract/schemas';

const LANGUAGES: { id: ProgramLanguage; label: string }[] = [
  { id: 'typescript', label: 'TypeScript' },
  { id: 'python', label: 'Python 3' },
  { id: 'shell', label: 'Shell' },
];

export interface ExportCodeProps {
  provider: ProviderDto;
  environment: ProviderEnvironmentDto;
  /** The token whose flow is exported; none yet: the button says what to do first. */
  token: TokenDto | undefined;
  exchanges: readonly ExchangeDto[];
}

type Generated = { language: ProgramLanguage; fileName: string; text: string } | { language: ProgramLanguage; error: string };

/**
 * "Export as code": the whole flow the console ran (token, first call, bulk export, refresh) as a TypeScript, Python
 * or shell program. Built in the browser from the redacted session, so no secret can be in it; the generators load
 * when the dialog opens.
 */
export function ExportCode({ provider, environment, token, exchanges }: ExportCodeProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [generated, setGenerated] = useState<Generated | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const generate = async (language: ProgramLanguage) => {
    if (!token) return;
    try {
      const { generateProgram, FlowRecipeError } = await import('@/lib/client/flow-code/generate');
      try {
        setGenerated({ language, ...generateProgram(language, { provider, environment, token, exchanges, consoleOrigin: window.location.origin }) });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        setGenerated({ language, error: error instanceof FlowRecipeError ? reason : `The program could not be written from this session: ${reason}` });
      }
    } catch {
      setGenerated({ language, error: 'The code generator did not load (the console may have been updated): reload the page and try again.' });
    }
    setNotice(null);
  };

  const open = () => {
    dialogRef.current?.showModal();
    void generate(generated?.language ?? 'typescript');
  };
  const close = () => dialogRef.current?.close();
  const program = generated && 'text' in generated ? generated : null;

  return (
    <>
      <Button
        size="sm"
        data-testid="export-code"
        disabled={!token}
        onClick={open}
        aria-haspopup="dialog"
        title={token ? 'The whole flow as a runnable program' : 'Get a token first: the program repeats a completed flow'}
      >
        Export as code
      </Button>
      <dialog
        ref={dialogRef}
        aria-labelledby="export-code-title"
        data-testid="export-code-dialog"
        className="m-auto max-h-[90dvh] w-[min(60rem,calc(100vw-1rem))] overflow-hidden rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40"
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
      >
        <div className="flex max-h-[90dvh] flex-col">
          <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-4 py-3">
            <div className="min-w-48 flex-1">
              <h2 id="export-code-title" className="text-sm font-semibold">
                {provider.name}: the flow as a program
              </h2>
              <p className="mt-0.5 text-xs leading-5 text-zinc-600">
                Does what the console did: the same token request, the first call, the bulk export and the refresh. Secrets come from environment variables named at the top.
              </p>
            </div>
            <Button size="sm" onClick={close} data-testid="export-code-close">
              Close
            </Button>
          </header>
          <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-4 py-2">
            <fieldset className="flex flex-wrap items-center gap-3">
              <legend className="sr-only">Language</legend>
              {LANGUAGES.map((language) => (
                <label key={language.id} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="radio"
                    name="export-code-language"
                    value={language.id}
                    checked={(generated?.language ?? 'typescript') === language.id}
                    onChange={() => void generate(language.id)}
                    className="accent-indigo-600"
                  />
                  {language.label}
                </label>
              ))}
            </fieldset>
            <span className="ml-auto flex gap-2">
              <Button
                size="sm"
                disabled={!program}
                data-testid="export-code-copy"
                onClick={async () => program && setNotice((await copyText(program.text)) ? 'Copied.' : 'The browser did not allow copying; use Download.')}
              >
                Copy
              </Button>
              <Button
                size="sm"
                variant="primary"
                disabled={!program}
                data-testid="export-code-download"
                onClick={() => {
                  if (!program) return;
                  downloadText(program.fileName, program.text, 'text/plain');
                  setNotice(`${program.fileName} saved.`);
                }}
              >
                Download {program?.fileName ?? ''}
              </Button>
            </span>
          </div>
          <p className="sr-only" role="status">
            {notice}
          </p>
          {generated && 'error' in generated ? (
            <p role="alert" className="m-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="export-code-error">
              {generated.error}
            </p>
          ) : (
            <pre data-testid="export-code-text" tabIndex={0} className="min-h-40 flex-1 overflow-auto bg-zinc-50 px-4 py-3 font-mono text-xs leading-5 text-zinc-800">
              {program?.text ?? 'Writing the program…'}
            </pre>
          )}
        </div>
      </dialog>
    </>
  );
}
