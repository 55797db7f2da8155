'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';
import { getDownloadEffect, initialDownloadState, reduceDownload, type FileDownloadState } from '@/lib/client/bulk/download-machine';
import { downloadBulkFile, type DownloadedFile } from './bulk-download';
import { toDownloadErrorEvent, toDownloadEvent } from './bulk-events';
import type { FlowTarget } from './effective-flow';
import { queryKeys } from './query-keys';

export interface BulkFileDownloadInput {
  providerId: string;
  target: Pick<FlowTarget, 'environmentId' | 'presetId'>;
  /** Environment-relative path of the file (toEnvironmentPath of the manifest URL), null when outside it. */
  path: string | null;
  previewLines: number;
  renewToken: () => Promise<void>;
}

export interface BulkFileDownloadControls {
  state: FileDownloadState;
  /** The finished download: counts, parsed preview and (when small enough) the bytes for Save. */
  file: DownloadedFile | null;
  start: () => void;
  cancel: () => void;
}

/**
 * Downloads one manifest file through the BFF with the download state machine (lib/client/bulk/download-machine.ts):
 * starts each attempt once, renews the token after a 401 and tries again, aborts on Cancel and on unmount.
 */
export function useBulkFileDownload({ providerId, target, path, previewLines, renewToken }: BulkFileDownloadInput): BulkFileDownloadControls {
  const [state, dispatch] = useReducer(reduceDownload, initialDownloadState);
  const [file, setFile] = useState<DownloadedFile | null>(null);
  const queryClient = useQueryClient();
  const controller = useRef<AbortController | null>(null);
  const startedAttempt = useRef(0);
  const renewedFor = useRef(0);
  const effect = getDownloadEffect(state);
  const downloadAttempt = effect.kind === 'download' ? effect.attempt : null;
  const { environmentId, presetId } = target;

  useEffect(() => () => controller.current?.abort(), []);

  useEffect(() => {
    if (downloadAttempt === null || startedAttempt.current === downloadAttempt || path === null) return;
    startedAttempt.current = downloadAttempt;
    const current = new AbortController();
    controller.current = current;
    downloadBulkFile(
      providerId,
      { environmentId, presetId, path },
      {
        previewLines,
        signal: current.signal,
        onStreaming: (totalBytes) => dispatch({ type: 'streaming', totalBytes, now: Date.now() }),
        onProgress: ({ bytes, resources }) => dispatch({ type: 'progress', bytes, resources, now: Date.now() }),
      },
    )
      .then((outcome) => {
        if (outcome.kind === 'file') setFile(outcome);
        dispatch(toDownloadEvent(outcome, Date.now()));
      })
      .catch((error: unknown) => dispatch(toDownloadErrorEvent(error, Date.now())))
      .finally(() => void queryClient.invalidateQueries({ queryKey: queryKeys.session.all }));
  }, [downloadAttempt, providerId, environmentId, presetId, path, previewLines, queryClient]);

  useEffect(() => {
    if (state.phase !== 'renewing' || renewedFor.current === state.attempt) return;
    renewedFor.current = state.attempt;
    renewToken().then(
      () => dispatch({ type: 'token-renewed', now: Date.now() }),
      (error: unknown) =>
        dispatch({ type: 'renew-failed', message: error instanceof Error ? error.message : 'Could not get a new token.' }),
    );
  }, [state, renewToken]);

  return {
    state,
    file,
    start: () => {
      if (path === null) return;
      setFile(null);
      dispatch({ type: 'start', now: Date.now() });
    },
    cancel: () => controller.current?.abort(),
  };
}
