import { useRef, type FormEvent } from 'react';
import type { AuthorizationScheme } from '@/lib/contract/dpop';
import { Button } from '@/components/ui/button';
import { controlClass } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TextInput } from '@/components/ui/text-input';
import { cn } from '@/components/ui/cn';
import { Disclosure } from '@/components/ui/disclosure';
import { checkKickoffHeaders } from '@/lib/client/bulk/kickoff-headers';
import { parseHeaderLines } from '@/lib/client/headers';
import { FHIR_USER_HEADERS } from '@/lib/contract/headers';
import type { QueryParam } from '@/lib/client/query-params';
import type { RequestPathCheck } from '@/lib/client/request-path';
import { KickoffHeadersHelp } from './kickoff-headers-help';
import { QueryParamsEditor } from './query-params-editor';

export type FhirMethod = 'GET' | 'POST' | 'DELETE';

export interface RequestEditorProps {
  method: FhirMethod;
  path: string;
  headersText: string;
  body: string;
  /** The path's query as rows (see reconcileQueryParams). */
  params: readonly QueryParam[];
  /** What is wrong with the path, if anything, checked before sending. */
  pathCheck: RequestPathCheck;
  pending: boolean;
  basePath: string;
  onMethodChange: (method: FhirMethod) => void;
  onPathChange: (path: string) => void;
  onParamsChange: (params: QueryParam[]) => void;
  onHeadersChange: (text: string) => void;
  onBodyChange: (body: string) => void;
  onSend: () => void;
  /** Opens the bulk kick-off form for this `$export` path; absent when the provider has none. */
  onUseBulkForm?: () => void;
  /** How the server will send the session's token. */
  authScheme: AuthorizationScheme;
}

/** Header names the proxy would refuse (it sets Authorization itself), so the editor says so before sending. */
function getRefusedHeaders(headersText: string): string[] {
  return Object.keys(parseHeaderLines(headersText)).filter((name) => !FHIR_USER_HEADERS.has(name.toLowerCase()));
}

/** Method, environment-relative path, its query parameters, headers and (for POST) a body. */
export function RequestEditor(props: RequestEditorProps) {
  const { method, path, headersText, body, params, pathCheck, pending, basePath } = props;
  const refusedHeaders = getRefusedHeaders(headersText);
  const kickoff = checkKickoffHeaders(method, path, headersText);
  const headersDisclosure = useRef<HTMLDetailsElement>(null);
  const headersInput = useRef<HTMLTextAreaElement>(null);
  const addKickoffHeaders = () => {
    if (!kickoff) return;
    props.onHeadersChange(kickoff.fixedHeadersText);
    // Show what was added; the help disappears with the problem, so focus goes where the change is.
    if (headersDisclosure.current) headersDisclosure.current.open = true;
    headersInput.current?.focus();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSend();
  };
  return (
    <form onSubmit={submit} className="space-y-2.5">
      <div className="flex gap-2">
        <label htmlFor="fhir-method" className="sr-only">
          Method
        </label>
        <div className="w-28 shrink-0">
          <Select
            id="fhir-method"
            value={method}
            onChange={(e) => props.onMethodChange(e.target.value as FhirMethod)}
            className="font-mono text-xs font-semibold"
          >
            <option value="GET">GET</option>
            <option value="POST">POST</option>
            <option value="DELETE">DELETE</option>
          </Select>
        </div>
        <label htmlFor="fhir-path" className="sr-only">
          Path
        </label>
        <div className="relative min-w-0 flex-1">
          <TextInput
            id="fhir-path"
            name="path"
            value={path}
            spellCheck={false}
            autoComplete="off"
            placeholder="/api/v2/metadata"
            aria-invalid={!pathCheck.ok || undefined}
            aria-describedby="fhir-path-hint"
            onChange={(e) => props.onPathChange(e.target.value)}
            className="font-mono text-xs"
          />
        </div>
        <Button
          type="submit"
          variant="primary"
          pending={pending}
          data-testid="fhir-send"
          disabled={!path.trim() || !pathCheck.ok || refusedHeaders.length > 0}
        >
          {pending ? 'Sending…' : 'Send'}
        </Button>
      </div>
      {pathCheck.ok ? (
        <p id="fhir-path-hint" className="text-xs text-zinc-600">
          Paths are relative to the environment{basePath && <> (<span className="font-mono">{basePath}</span>)</>}; the
          server adds <span className="font-mono">Authorization: {props.authScheme} …</span>
          {props.authScheme === 'DPoP' && <> and a fresh <span className="font-mono">DPoP</span> proof</>} from this session’s token.
        </p>
      ) : (
        <p id="fhir-path-hint" role="alert" className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-red-700">
          {pathCheck.message}
          {pathCheck.suggestion && (
            <Button size="xs" variant="secondary" onClick={() => pathCheck.suggestion && props.onPathChange(pathCheck.suggestion)}>
              Use <span className="max-w-64 truncate font-mono">{pathCheck.suggestion}</span>
            </Button>
          )}
        </p>
      )}
      {kickoff && <KickoffHeadersHelp check={kickoff} onAddHeaders={addKickoffHeaders} onUseBulkForm={props.onUseBulkForm} />}
      <QueryParamsEditor params={params} onChange={props.onParamsChange} />
      <Disclosure
        ref={headersDisclosure}
        summary={
          <>
            Request headers
            {refusedHeaders.length > 0 && <span className="font-normal text-red-700"> · cannot be sent</span>}
          </>
        }
        defaultOpen={refusedHeaders.length > 0}
      >
        <label htmlFor="fhir-headers" className="sr-only">
          Request headers
        </label>
        <textarea
          ref={headersInput}
          id="fhir-headers"
          value={headersText}
          rows={3}
          spellCheck={false}
          placeholder="Accept: application/fhir+json"
          aria-invalid={refusedHeaders.length > 0 || undefined}
          aria-describedby="fhir-headers-hint"
          onChange={(e) => props.onHeadersChange(e.target.value)}
          className={cn(controlClass, 'py-2 font-mono text-xs')}
        />
        {refusedHeaders.length > 0 ? (
          <p id="fhir-headers-hint" className="mt-1 text-xs text-red-700" role="alert">
            {refusedHeaders.join(', ')} cannot be set here: the server adds Authorization from this session’s token, and
            only {[...FHIR_USER_HEADERS].join(', ')} pass through.
          </p>
        ) : (
          <p id="fhir-headers-hint" className="mt-1 text-xs text-zinc-600">
            One <span className="font-mono">Name: value</span> per line. Authorization is set by the server.
          </p>
        )}
      </Disclosure>
      {method === 'POST' && (
        <div>
          <label htmlFor="fhir-body" className="mb-1 block text-xs font-medium text-zinc-700">
            Request body
          </label>
          <textarea
            id="fhir-body"
            value={body}
            rows={5}
            spellCheck={false}
            onChange={(e) => props.onBodyChange(e.target.value)}
            className={cn(controlClass, 'py-2 font-mono text-xs')}
          />
        </div>
      )}
    </form>
  );
}
