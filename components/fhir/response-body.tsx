import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { JsonTree } from '@/components/ui/json-tree';
import type { FhirProxyResponse } from '@/lib/api-client/schemas';
import { NdjsonPreview } from './ndjson-preview';

/** The body by kind: a JSON tree, an NDJSON preview, text, or a note that there is none. */
export function ResponseBody({ response }: { response: FhirProxyResponse }) {
  if (response.bodyKind === 'json') {
    return (
      <div className="relative rounded-lg border border-zinc-200 bg-zinc-50/60">
        <div className="absolute top-1.5 right-1.5 z-10">
          <CopyButton text={JSON.stringify(response.json, null, 2)} label="Copy JSON" />
        </div>
        <JsonTree
          data-testid="fhir-response-body"
          value={response.json}
          defaultOpenDepth={2}
          className="max-h-[32rem] overflow-auto p-3 pr-20"
        />
      </div>
    );
  }
  if (response.bodyKind === 'ndjson' && response.ndjson) {
    return (
      <div data-testid="fhir-response-body">
        <NdjsonPreview ndjson={response.ndjson} />
      </div>
    );
  }
  if (response.bodyKind === 'empty' || !response.text) {
    return (
      <p data-testid="fhir-response-body" className="rounded-lg border border-dashed border-zinc-200 px-3 py-2 text-xs text-zinc-500 italic">
        Empty body
      </p>
    );
  }
  return <CodeBlock data-testid="fhir-response-body">{response.text}</CodeBlock>;
}
