import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Disclosure } from '@/components/ui/disclosure';
import { KeyValueList, type KeyValueItem } from '@/components/ui/key-value-list';
import { StatusCode } from '@/components/ui/status-code';
import type { DiscoveredServerDto, DiscoveryDto } from '@/lib/contract/smart';
import { FindingCounts, FindingList } from './finding-list';
import { countFindings } from './provider-form';
import { Breakable } from '@/components/ui/breakable';

type DocumentDto = DiscoveryDto['documents'][number];

const statusTone: Record<DocumentDto['status'], BadgeTone> = {
  ok: 'green',
  not_found: 'amber',
  http_error: 'red',
  redirect: 'amber',
  not_json: 'red',
  timeout: 'red',
  unreachable: 'red',
  refused: 'red',
};

const documentLabel = { 'smart-configuration': 'SMART configuration', 'openid-configuration': 'OpenID / OAuth metadata' } as const;

/** What discovery read: each document, the merged metadata, where the documents disagree, and the findings. */
export function DiscoveryResult({ discovery }: { discovery: DiscoveryDto }) {
  if (!discovery.ok && discovery.refused) {
    return (
      <div role="alert" data-testid="discovery-refused" className="rounded-lg border border-red-200 bg-red-50/60 px-3 py-2.5 text-xs text-red-900">
        <p className="flex items-center gap-2 font-semibold">
          The console will not call this URL <Badge tone="red" className="font-mono">{discovery.refused.code}</Badge>
        </p>
        <p className="mt-1">{discovery.refused.message}</p>
      </div>
    );
  }
  return (
    <div className="space-y-4" data-testid="discovery-result">
      <section>
        <h3 className="mb-2 text-xs font-semibold text-zinc-900">
          Documents {discovery.base && <span className="font-normal text-zinc-600">· read under {discovery.base}</span>}
        </h3>
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200" data-testid="discovery-documents">
          {discovery.documents.map((doc) => (
            <DocumentRow key={doc.url} doc={doc} />
          ))}
        </ul>
      </section>

      {discovery.server && <ServerMetadata server={discovery.server} />}

      {discovery.disagreements.length > 0 && (
        <section>
          <h3 className="mb-2 text-xs font-semibold text-zinc-900">
            Disagreements <span className="font-normal text-zinc-600">· the SMART configuration wins</span>
          </h3>
          <ul className="space-y-1.5 text-xs" data-testid="discovery-disagreements">
            {discovery.disagreements.map((d) => (
              <li key={d.field} className="rounded-lg border border-amber-200 bg-amber-50/50 px-3 py-2">
                <code className="font-mono font-semibold text-amber-900">{d.field}</code>
                <ul className="mt-1 space-y-0.5">
                  {d.values.map((v) => (
                    <li key={v.source} className="flex gap-2">
                      <span className="w-40 shrink-0 text-zinc-600">{documentLabel[v.source]}</span>
                      <span className="min-w-0 font-mono wrap-anywhere text-zinc-800">{Array.isArray(v.value) ? v.value.join(' ') : v.value}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <h3 className="mb-2 flex flex-wrap items-center gap-2 text-xs font-semibold text-zinc-900">
          Discovery findings <FindingCounts counts={countFindings(discovery.findings)} />
        </h3>
        {discovery.findings.length > 0 && (
          <FindingList data-testid="discovery-findings" findings={discovery.findings.map((f) => ({ ...f, source: f.source && documentLabel[f.source] }))} />
        )}
      </section>
    </div>
  );
}

function DocumentRow({ doc }: { doc: DocumentDto }) {
  return (
    <li className="px-3 py-2 text-xs" data-testid="discovery-document" data-status={doc.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-zinc-900">{documentLabel[doc.kind]}</span>
        <Badge tone={statusTone[doc.status]} dot>
          {doc.status.replace('_', ' ')}
        </Badge>
        {doc.httpStatus !== undefined && <StatusCode status={doc.httpStatus} />}
        {doc.problems.length > 0 && <Badge tone="amber">{doc.problems.length} field problem{doc.problems.length === 1 ? '' : 's'}</Badge>}
      </div>
      <p className="mt-1 font-mono text-xs wrap-anywhere text-zinc-600"><Breakable text={doc.url} /></p>
      {doc.location && <p className="mt-0.5 font-mono text-xs wrap-anywhere text-zinc-600">→ <Breakable text={doc.location} /></p>}
      {doc.message && <p className="mt-1 text-zinc-600">{doc.message}</p>}
      {doc.problems.length > 0 && (
        <ul className="mt-1.5 space-y-0.5">
          {doc.problems.map((p) => (
            <li key={`${p.field}-${p.problem}`} className="flex gap-2">
              <code className="font-mono text-amber-800">{p.field}</code>
              <span className="text-zinc-600">{p.problem}</span>
              <span className="text-zinc-700">{p.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

const ENDPOINTS = [
  ['authorization_endpoint', 'Authorize'],
  ['token_endpoint', 'Token'],
  ['jwks_uri', 'JWKS'],
  ['registration_endpoint', 'Registration'],
  ['introspection_endpoint', 'Introspection'],
  ['revocation_endpoint', 'Revocation'],
  ['userinfo_endpoint', 'Userinfo'],
  ['management_endpoint', 'Management'],
] as const;

const LISTS = [
  ['grant_types_supported', 'Grants'],
  ['token_endpoint_auth_methods_supported', 'Client auth'],
  ['token_endpoint_auth_signing_alg_values_supported', 'Assertion algs'],
  ['code_challenge_methods_supported', 'PKCE'],
  ['response_types_supported', 'Response types'],
] as const;

const SCOPES_SHOWN = 12;

function ServerMetadata({ server }: { server: DiscoveredServerDto }) {
  const items: KeyValueItem[] = [
    { label: 'Issuer', value: server.issuer ?? <Missing />, mono: true },
    ...ENDPOINTS.flatMap(([field, label]) => {
      const value = server[field];
      if (!value && field !== 'token_endpoint' && field !== 'authorization_endpoint') return [];
      return [{ label, value: value ?? <Missing />, mono: true }];
    }),
    {
      label: 'SMART',
      value:
        server.smart_versions.length > 0 ? (
          <span className="flex gap-1">
            {server.smart_versions.map((v) => (
              <Badge key={v} tone="violet">
                SMART {v}
              </Badge>
            ))}
          </span>
        ) : (
          <span className="text-zinc-600">no permission-v1 / permission-v2 capability</span>
        ),
    },
    ...LISTS.map(([field, label]) => ({ label, value: <Chips values={server[field]} /> })),
    { label: 'Capabilities', value: <Chips values={server.capabilities} /> },
    {
      label: 'Scopes',
      value:
        server.scopes_supported && server.scopes_supported.length > SCOPES_SHOWN ? (
          <Disclosure summary={<span>{server.scopes_supported.length} scopes</span>}>
            <Chips values={server.scopes_supported} mono />
          </Disclosure>
        ) : (
          <Chips values={server.scopes_supported} mono />
        ),
    },
  ];
  return (
    <section>
      <h3 className="mb-2 text-xs font-semibold text-zinc-900">Server metadata <span className="font-normal text-zinc-600">· merged</span></h3>
      <div className="rounded-lg border border-zinc-200 px-3 py-2.5" data-testid="discovered-server">
        <KeyValueList items={items} />
      </div>
    </section>
  );
}

function Chips({ values, mono = false }: { values: string[] | undefined; mono?: boolean }) {
  if (!values) return <span className="text-zinc-600 italic">not listed</span>;
  if (values.length === 0) return <span className="text-zinc-600 italic">empty list</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {values.map((v) => (
        <Badge key={v} className={mono ? 'font-mono' : undefined}>
          {v}
        </Badge>
      ))}
    </span>
  );
}

function Missing() {
  return <span className="font-sans text-zinc-600 italic">not published</span>;
}
