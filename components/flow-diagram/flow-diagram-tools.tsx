'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { downloadText } from '@/components/timeline/download-text';
import { Button } from '@/components/ui/button';
import { demoScriptFor, parseDemoProgress, runDemo, type DemoProgress, type DemoScript } from '@/lib/client/demo-scripts';
import { getEffectiveEndpoints } from '@/lib/client/effective-flow';
import { toEnvironmentPath } from '@/lib/client/environment-path';
import { postAuthorize, postFhirRequest } from '@/lib/client/fetchers';
import { useTokenOwnerContext } from '@/lib/client/token-owner';
import { buildFlowDiagram } from '@/lib/client/flow-diagram/build';
import type { FlowDiagram } from '@/lib/client/flow-diagram/model';
import { readRecording, toRecording } from '@/lib/client/flow-recording';
import { queryKeys } from '@/lib/client/query-keys';
import { epochToMs } from '@/lib/client/relative-time';
import { exportFileName } from '@/lib/client/timeline/file-name';
import type { ProviderDto, ProviderEnvironmentDto, SessionDto } from '@/lib/contract/schemas';
import { getHeader } from '@/lib/contract/headers';
import { Presenter } from './presenter';

const PROGRESS_KEY = 'console.demo-run';

export interface FlowDiagramToolsProps {
  provider: ProviderDto;
  environment: ProviderEnvironmentDto;
  presetId: string | undefined;
  diagram: FlowDiagram;
  session: SessionDto | undefined;
}

type Shown = { kind: 'live' } | { kind: 'recording'; diagram: FlowDiagram; source: string };

/** Presenter mode, the provider's demo script, and recordings to save and replay, beside the diagram. */
export function FlowDiagramTools({ provider, environment, presetId, diagram, session }: FlowDiagramToolsProps) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const script = demoScriptFor(provider.id);

  const saveRecording = () => {
    if (!session) return;
    const recording = toRecording(session, provider, new Date());
    downloadText(exportFileName(new Date(), 'json').replace('.json', '.recording.json'), `${JSON.stringify(recording, null, 2)}\n`, 'application/json');
    setNotice({ text: `Recording saved: ${recording.exchanges.length} exchanges.`, error: false });
  };

  const openRecording = async (file: File) => {
    const read = readRecording(await file.text());
    if (!read.ok) {
      setNotice({ text: read.error, error: true });
      return;
    }
    const { recording } = read;
    const replayed = buildFlowDiagram({ provider: { ...recording.provider, environments: [] }, exchanges: recording.exchanges, tokens: recording.tokens });
    setNotice(null);
    setShown({ kind: 'recording', diagram: replayed, source: `recording of ${new Date(recording.recordedAt).toLocaleString()}, replayed` });
  };

  return (
    <>
      <Button size="sm" variant="primary" data-testid="presenter-open" disabled={diagram.steps.length === 0} onClick={() => setShown({ kind: 'live' })}>
        Present
      </Button>
      {script && <DemoRunner script={script} provider={provider} environment={environment} presetId={presetId} session={session} />}
      <Button size="sm" data-testid="recording-save" disabled={diagram.steps.length === 0} onClick={saveRecording}>
        Save recording
      </Button>
      <Button size="sm" data-testid="recording-open" onClick={() => fileRef.current?.click()}>
        Open recording…
      </Button>
      <input
        ref={fileRef}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        tabIndex={-1}
        aria-label="Recording file"
        data-testid="recording-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void openRecording(file);
        }}
      />
      {notice && (
        <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'basis-full text-xs text-red-700' : 'sr-only'} data-testid="recording-notice">
          {notice.text}
        </p>
      )}
      {shown && (
        <Presenter
          diagram={shown.kind === 'live' ? diagram : shown.diagram}
          source={shown.kind === 'live' ? 'live session' : shown.source}
          onClose={() => setShown(null)}
        />
      )}
    </>
  );
}

function readProgress(): DemoProgress | null {
  return parseDemoProgress(window.sessionStorage.getItem(PROGRESS_KEY));
}

function DemoRunner({ script, provider, environment, presetId, session }: { script: DemoScript; provider: ProviderDto; environment: ProviderEnvironmentDto; presetId: string | undefined; session: SessionDto | undefined }) {
  const queryClient = useQueryClient();
  const tokens = useTokenOwnerContext();
  const [progress, setProgress] = useState<DemoProgress | null>(() => {
    const saved = readProgress();
    return saved && saved.providerId === provider.id ? saved : null;
  });
  const running = progress?.status === 'running';
  const runnable = environment.kind === 'builtin' && presetId === script.presetId;
  const presetLabel = provider.presets.find((p) => p.id === script.presetId)?.label ?? script.presetId;

  const run = (from: DemoProgress) => {
    const endpoints = getEffectiveEndpoints(provider, environment, script.presetId);
    const target = { environmentId: environment.id, presetId: script.presetId };
    const refreshSession = () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
    const answered = (response: { status: number }, what: string) => {
      if (response.status < 200 || response.status >= 300) throw new Error(`${what} answered ${response.status}.`);
    };
    void runDemo(script, from, {
      // Through the token owner, as Get token and Refresh are: a new token (client credentials) or a refresh.
      getToken: () => tokens.renew(target, 'demo'),
      authorize: async () => {
        const { authorizeUrl } = await postAuthorize(provider.id, { environmentId: environment.id, credential: { kind: 'preset', presetId: script.presetId } });
        window.location.assign(authorizeUrl);
      },
      request: async (path) => {
        const response = await postFhirRequest(provider.id, { ...target, method: 'GET', path });
        await refreshSession();
        answered(response, `GET ${path}`);
        const links = (response.json as { link?: { relation?: string; url?: string }[] } | undefined)?.link ?? [];
        const next = links.find((l) => l.relation === 'next')?.url;
        const nextPath = next ? toEnvironmentPath(next, endpoints) : null;
        return nextPath ? { nextPath } : {};
      },
      bulkExport: async (path) => {
        const kickoff = await postFhirRequest(provider.id, { ...target, method: 'GET', path, headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' } });
        await refreshSession();
        const location = getHeader(kickoff.headers, 'content-location');
        const statusPath = location && toEnvironmentPath(location, endpoints);
        if (kickoff.status !== 202 || !statusPath) throw new Error(`The kick-off answered ${kickoff.status}, not 202 with a status URL.`);
        for (let poll = 0; poll < 60; poll++) {
          const status = await postFhirRequest(provider.id, { ...target, method: 'GET', path: statusPath, headers: { Accept: 'application/json' } });
          await refreshSession();
          if (status.status === 200) {
            const output = (status.json as { output?: { url?: string }[] } | undefined)?.output ?? [];
            const filePath = output[0]?.url && toEnvironmentPath(output[0].url, endpoints);
            if (!filePath) throw new Error('The manifest lists no file.');
            const preview = await postFhirRequest(provider.id, { ...target, method: 'GET', path: filePath, headers: { Accept: 'application/fhir+ndjson' }, previewLines: 5 });
            await refreshSession();
            answered(preview, 'The file download');
            return;
          }
          if (status.status !== 202) throw new Error(`The status request answered ${status.status}.`);
          const retryAfter = Number(getHeader(status.headers, 'retry-after'));
          await new Promise((done) => setTimeout(done, Math.min(Math.max(Number.isFinite(retryAfter) ? retryAfter : 1, 1), 10) * 1000));
        }
        throw new Error('The export did not finish in 60 polls.');
      },
      refresh: () => tokens.renew(target, 'demo'),
      save: (next) => (next ? window.sessionStorage.setItem(PROGRESS_KEY, JSON.stringify(next)) : window.sessionStorage.removeItem(PROGRESS_KEY)),
      onProgress: setProgress,
    });
  };

  // Back from the login page: a token issued since the login opened means the person finished there; an explained
  // callback failure means the run stops.
  const atLogin = progress?.status === 'at-login' && session ? progress : null;
  const loginFailure = atLogin && session?.flowErrors.find((f) => f.providerId === provider.id);
  const loginDone = atLogin && session?.tokens.some((t) => t.providerId === provider.id && epochToMs(t.issuedAt) >= (atLogin.loginStartedAt ?? 0) - 1000);
  useEffect(() => {
    if (!atLogin) return;
    if (loginFailure) window.sessionStorage.removeItem(PROGRESS_KEY);
    else if (loginDone) run({ ...atLogin, status: 'running' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- resumes once, when the session answers after the return
  }, [loginDone, loginFailure]);
  const shownProgress: DemoProgress | null = atLogin && loginFailure ? { ...atLogin, status: 'failed', error: `The login did not complete: ${loginFailure.error.error.message}` } : progress;

  const step = shownProgress && script.steps[Math.min(shownProgress.next, script.steps.length - 1)];
  return (
    <>
      <Button
        size="sm"
        data-testid="demo-run"
        disabled={!runnable || running}
        pending={running}
        onClick={() => run({ providerId: provider.id, next: 0, status: 'running' })}
        title={runnable ? script.title : `The demo runs with “${presetLabel}” on the built-in sandbox: pick it first.`}
      >
        Run the demo
      </Button>
      {shownProgress && (
        <p className="basis-full text-xs text-zinc-700" role="status" data-testid="demo-progress" data-status={shownProgress.status}>
          {shownProgress.status === 'done' && `Demo done: ${script.steps.length} steps.`}
          {shownProgress.status === 'running' && step && `Demo step ${shownProgress.next + 1} of ${script.steps.length}: ${step.title}…`}
          {shownProgress.status === 'at-login' && `Demo paused at the login page: ${script.steps[shownProgress.next - 1]?.kind === 'authorize' ? (script.steps[shownProgress.next - 1] as { atLoginPage: string }).atLoginPage : ''} It carries on when you come back.`}
          {shownProgress.status === 'failed' && <span className="text-red-700">Demo stopped. {shownProgress.error}</span>}
        </p>
      )}
    </>
  );
}
