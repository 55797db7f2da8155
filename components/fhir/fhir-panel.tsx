'use client';

import type { AuthorizationScheme } from '@/lib/contract/dpop';
import { Breakable } from '@/components/ui/breakable';
import { ResultRegion } from '@/components/ui/result-region';
import { apiNames } from '@/lib/client/api-names';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { describeBundle, toPagingPaths } from '@/lib/client/bundle';
import { examplesFor, type FlowTarget } from '@/lib/client/effective-flow';
import { getEnvironmentRoot } from '@/lib/client/environment-path';
import { formatHeaderLines, parseHeaderLines } from '@/lib/client/headers';
import { getBasesFor } from '@/lib/client/bulk/kickoff';
import { isKickoffPath, toKickoffPrefill } from '@/lib/client/bulk/kickoff-headers';
import { useDeclaredResourceTypes, useFhirRequest, useSession } from '@/lib/client/hooks';
import { reconcileQueryParams, withQueryParams, type QueryParam } from '@/lib/client/query-params';
import { getRequestHistory, type HistoryEntry } from '@/lib/client/request-history';
import { checkRequestPath } from '@/lib/client/request-path';
import { findResourceTypeSegment, getFhirBasePaths, getResourceTypeHint, shouldLookUpResourceTypes } from '@/lib/client/resource-type-hint';
import type { ProviderDto } from '@/lib/contract/schemas';
import { useState } from 'react';
import { BulkExportCard, type BulkFormPrefill } from './bulk-export-card';
import { toActiveBulkJob, type ActiveBulkJob } from './bulk-job-types';
import { BundlePager } from './bundle-pager';
import { formatRequestBody } from './fhir-utils';
import { RequestEditor, type FhirMethod } from './request-editor';
import { RequestPresets } from './request-presets';
import { RequestHistory } from './request-history';
import { ResourceTypeHintNote } from './resource-type-hint';
import { ResponseViewer } from './response-viewer';
import { WorkbenchTabs, type WorkbenchTab } from './workbench-tabs';

type DefaultRequest = ProviderDto['defaultRequests'][number];

export interface FhirPanelProps {
  provider: ProviderDto;
  /**
   * Where requests go: the environment, the credential set and its effective endpoints (a preset's flow may live
   * on other paths, e.g. 1upHealth Patient Access under `/r4`). Sent with every request so the proxy picks the same.
   */
  target: FlowTarget;
  /** Whether the session holds a live token for this provider, environment and credential set. */
  hasLiveToken: boolean;
  /** How the server sends that token (Bearer, or DPoP with a proof). */
  authScheme: AuthorizationScheme;
  /** Switches the workbench to another credential set of this environment (an example that needs it). */
  onSwitchCredential: (presetId: string) => void;
}

/** What the editor sends: the method, path and body as typed, headers as `Name: value` lines. */
interface RequestDraft {
  method: FhirMethod;
  path: string;
  headersText: string;
  body: string;
}

/**
 * Step 5, the workbench: pick an example or a request from this session's history, edit it, send it through the
 * proxy with the session's token, page through Bundles, query the answer with FHIRPath, follow bulk exports.
 */
export function FhirPanel({ provider, target, hasLiveToken, authScheme, onSwitchCredential }: FhirPanelProps) {
  const environment = provider.environments.find((env) => env.id === target.environmentId);
  const examples = environment ? examplesFor(provider, environment, target.presetId) : { usable: provider.defaultRequests, elsewhere: [] };
  const first = examples.usable[0] ?? provider.defaultRequests[0];
  const [presetId, setPresetId] = useState<string | null>(first?.id ?? null);
  const [method, setMethod] = useState<FhirMethod>(first?.method ?? 'GET');
  const [path, setPath] = useState(first?.path ?? '');
  const [headersText, setHeadersText] = useState(formatHeaderLines(first?.headers ?? { Accept: 'application/fhir+json' }));
  const [body, setBody] = useState(() => formatRequestBody(first?.body));
  const [paramsDraft, setParamsDraft] = useState<readonly QueryParam[]>([]);
  const [tab, setTab] = useState<WorkbenchTab>('examples');
  const [job, setJob] = useState<ActiveBulkJob | null>(null);
  const [bulkPrefill, setBulkPrefill] = useState<BulkFormPrefill | null>(null);
  const send = useFhirRequest();
  const session = useSession();
  const history = getRequestHistory(session.data?.exchanges ?? [], provider.id, target);
  const params = reconcileQueryParams(path, paramsDraft);

  const preset = provider.defaultRequests.find((r) => r.id === presetId);
  const presetMatches = preset !== undefined && preset.path === path && preset.method === method;

  const loadDraft = (draft: RequestDraft) => {
    setMethod(draft.method);
    setPath(draft.path);
    setHeadersText(draft.headersText);
    setBody(draft.body);
  };

  const loadPreset = (request: DefaultRequest) => {
    setPresetId(request.id);
    loadDraft({
      method: request.method,
      path: request.path,
      headersText: formatHeaderLines(request.headers),
      body: formatRequestBody(request.body),
    });
  };

  const historyDraft = (entry: HistoryEntry): RequestDraft => ({
    method: entry.method,
    path: entry.path,
    headersText: formatHeaderLines(entry.headers),
    body: formatRequestBody(entry.body),
  });

  const changeParams = (next: QueryParam[]) => {
    setParamsDraft(next);
    setPath(withQueryParams(path, next));
  };

  // A job started here or from the form closes a form opened for a hand-typed kick-off.
  const startedJob = (started: ActiveBulkJob) => {
    setBulkPrefill(null);
    setJob(started);
  };

  const sendRequest = (draft: RequestDraft) => {
    const { method: requestMethod, headersText: requestHeaders, body: requestBody } = draft;
    const trimmed = draft.path.trim();
    if (!trimmed) return;
    const bulk =
      presetMatches && preset.path === trimmed && preset.method === requestMethod
        ? preset.bulkExport
        : requestMethod === 'GET' && isKickoffPath(trimmed);
    const sentTo = target;
    send.mutate(
      {
        providerId: provider.id,
        request: {
          environmentId: sentTo.environmentId,
          presetId: sentTo.presetId,
          method: requestMethod,
          path: trimmed,
          headers: parseHeaderLines(requestHeaders),
          body: requestMethod === 'POST' && requestBody ? requestBody : undefined,
        },
      },
      {
        onSuccess: (response) => {
          if (!bulk || response.status !== 202) return;
          startedJob(toActiveBulkJob(response, trimmed, sentTo));
        },
      },
    );
  };

  const requestPage = (pagePath: string) => {
    const draft = { method: 'GET' as const, path: pagePath, headersText, body: '' };
    loadDraft(draft);
    sendRequest(draft);
  };

  const rerun = (entry: HistoryEntry) => {
    const draft = historyDraft(entry);
    loadDraft(draft);
    sendRequest(draft);
  };

  const bundle = send.data?.bodyKind === 'json' ? describeBundle(send.data.json) : null;

  // After a 404 to what looks like a resource type, the server's CapabilityStatement says which types it has.
  const bulkBases = provider.bulkExport ? getBasesFor(provider.bulkExport, target.environmentId) : [];
  const fhirBases = getFhirBasePaths(target.endpoints, bulkBases.map((base) => base.path));
  const sent = send.data ? send.variables?.request : undefined;
  const sentHere = sent !== undefined && sent.environmentId === target.environmentId && sent.presetId === target.presetId;
  const lookUp = sentHere && send.data !== undefined && shouldLookUpResourceTypes(provider.apiKind, send.data.status, sent.path, fhirBases);
  const lookUpBase = lookUp ? (findResourceTypeSegment(sent.path, fhirBases)?.base ?? null) : null;
  const declaredTypes = useDeclaredResourceTypes(provider.id, target, lookUpBase, lookUp);
  const typeHint = lookUp && declaredTypes.data ? getResourceTypeHint(sent.path, fhirBases, declaredTypes.data) : null;

  const openBulkForm = () => {
    if (!provider.bulkExport) return;
    const input = toKickoffPrefill(path, provider.bulkExport, target.environmentId) ?? {};
    setBulkPrefill((previous) => ({ id: (previous?.id ?? 0) + 1, input }));
  };

  return (
    <>
      <Card
        data-testid="fhir-panel"
        step={5}
        title={apiNames(provider.apiKind).workbench}
        description={
          <>
            Requests go through the server, to{' '}
            <span className="font-mono wrap-anywhere">
              <Breakable text={target.endpoints.fhirBaseUrl} />
            </span>
          </>
        }
      >
        {!hasLiveToken && (
          <p className="mb-3 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
            No live token for this environment and credential set: requests that need one will answer 401.
            {provider.defaultRequests.some((r) => r.group === 'discovery') && ' The discovery examples need none.'}
          </p>
        )}
        <WorkbenchTabs
          tab={tab}
          onTabChange={setTab}
          historyCount={history.length}
          examples={
            <RequestPresets
              requests={examples.usable}
              selectedId={presetMatches ? presetId : null}
              onSelect={loadPreset}
              elsewhere={examples.elsewhere}
              onSwitch={(credential, request) => {
                onSwitchCredential(credential);
                loadPreset(request);
              }}
            />
          }
          history={
            <RequestHistory
              entries={history}
              loading={session.isPending}
              pending={send.isPending}
              onEdit={(entry) => loadDraft(historyDraft(entry))}
              onRerun={rerun}
            />
          }
        />
        <div className="mt-4 border-t border-zinc-100 pt-4">
          <RequestEditor
            method={method}
            path={path}
            headersText={headersText}
            body={body}
            params={params}
            pathCheck={checkRequestPath(path, target.endpoints)}
            pending={send.isPending}
            basePath={getEnvironmentRoot(target.endpoints)}
            onMethodChange={setMethod}
            onPathChange={setPath}
            onParamsChange={changeParams}
            onHeadersChange={setHeadersText}
            onBodyChange={setBody}
            onSend={() => sendRequest({ method, path, headersText, body })}
            onUseBulkForm={bulkBases.length > 0 ? openBulkForm : undefined}
            authScheme={authScheme}
          />
        </div>
        <ResultRegion result={send.error ?? send.data} label="Response" data-testid="fhir-result" className="mt-4 border-t border-zinc-100 pt-4">
          {send.error ? (
            <ApiErrorCard error={send.error} />
          ) : send.data ? (
            <>
              {typeHint && <ResourceTypeHintNote hint={typeHint} onUsePath={setPath} />}
              <ResponseViewer
                response={send.data}
                toolbar={
                  bundle && (
                    <BundlePager
                      bundle={bundle}
                      paths={toPagingPaths(bundle.links, target.endpoints)}
                      pending={send.isPending}
                      onPage={requestPage}
                    />
                  )
                }
              />
            </>
          ) : (
            <EmptyState title={send.isPending ? 'Waiting for the response…' : 'No response yet'}>
              Pick an example or a request from the history, or write one, and press Send.
            </EmptyState>
          )}
          {send.data?.status === 202 && job?.kickoffExchangeId === send.data.exchangeId && (
            <p className="mt-2 text-xs text-indigo-700">Export started: the job is followed under Bulk export.</p>
          )}
        </ResultRegion>
      </Card>
      {(job || provider.bulkExport || provider.defaultRequests.some((request) => request.bulkExport)) && (
        <BulkExportCard provider={provider} target={target} authScheme={authScheme} job={job} onStarted={startedJob} onDismiss={() => setJob(null)} prefill={bulkPrefill} />
      )}
    </>
  );
}
