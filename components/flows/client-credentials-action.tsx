import { useState } from 'react';
import { formatCountdown } from '@/components/jwt/countdown-utils';
import { useServerNow } from '@/components/jwt/use-server-now';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Disclosure } from '@/components/ui/disclosure';
import { Select } from '@/components/ui/select';
import { assertionFaultLabels, assertionFaultNames, assertionFaultSchema, type AssertionFault } from '@/lib/contract/smart';
import type { TokenDto } from '@/lib/contract/schemas';
import { BodyFormatChoice } from './body-format-choice';
import { TOKEN_ACTION_ID } from './token-form-ids';
import type { BodyFormat } from './credential-options';

export interface ClientCredentialsActionProps {
  pending: boolean;
  /** The provider rate-limited the last Get token: the button waits, counting down, until this time (epoch ms). */
  retryAt?: number | null;
  lastToken: TokenDto | undefined;
  onForceNew: () => void;
  /** Present when the provider takes the credentials in more than one body format (Candid). */
  bodyFormat?: { choices: readonly BodyFormat[]; value: BodyFormat; onChange: (value: BodyFormat) => void };
  /** private_key_jwt: send one deliberately broken client assertion, to see how the server rejects it. */
  onSendFaultyAssertion?: (fault: AssertionFault) => void;
}

/** "Get token" (it submits the surrounding form), the body-format choice, and the reuse notice. */
export function ClientCredentialsAction({ pending, retryAt = null, lastToken, onForceNew, bodyFormat, onSendFaultyAssertion }: ClientCredentialsActionProps) {
  const now = useServerNow(0);
  const waitMs = retryAt !== null && now > 0 ? retryAt - now : 0;
  const waiting = retryAt !== null && (now === 0 || waitMs > 0);
  return (
    <div className="flex flex-col items-stretch gap-2">
      {bodyFormat && <BodyFormatChoice {...bodyFormat} />}
      <Button id={TOKEN_ACTION_ID} type="submit" variant="primary" pending={pending} disabled={waiting} data-testid="get-token">
        {pending ? 'Requesting token…' : waiting ? `Retry in ${formatCountdown(Math.max(0, waitMs))}` : 'Get token'}
      </Button>
      {waiting && !pending && (
        <p className="text-xs leading-5 text-zinc-600" data-testid="rate-limit-wait" role="status">
          The provider asked the console to wait before the next token request (Retry-After).
        </p>
      )}
      {lastToken?.reused && !pending && (
        <div className="rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900" data-testid="token-reused">
          <p className="flex items-center gap-1.5 font-medium">
            <Badge tone="blue">Reused</Badge> A live token was reused.
          </p>
          {lastToken.reuseReason && <p className="mt-1 leading-5 text-sky-800">{lastToken.reuseReason}</p>}
          <Button size="sm" className="mt-2 w-full" onClick={onForceNew} data-testid="mint-new-token">
            Mint a new token
          </Button>
        </div>
      )}
      {lastToken && !lastToken.reused && !pending && (
        <p className="text-center text-xs text-emerald-700">New token minted.</p>
      )}
      {onSendFaultyAssertion && <FaultyAssertion pending={pending} onSend={onSendFaultyAssertion} />}
    </div>
  );
}

/** Sends one assertion that is wrong in one named way, so the rejection and its explanation are seen on purpose. */
function FaultyAssertion({ pending, onSend }: { pending: boolean; onSend: (fault: AssertionFault) => void }) {
  const [fault, setFault] = useState<AssertionFault>('wrong_aud');
  return (
    <Disclosure summary="Try a broken assertion" className="rounded-lg border border-zinc-200 px-3 py-2" summaryClassName="text-xs">
      <p className="text-xs leading-5 text-zinc-600">One request with an assertion wrong in one way. A SMART server must refuse it.</p>
      <label htmlFor="assertion-fault" className="sr-only">
        What to break
      </label>
      <Select id="assertion-fault" className="mt-2" value={fault} onChange={(e) => setFault(assertionFaultSchema.parse(e.target.value))}>
        {assertionFaultSchema.options.map((option) => (
          <option key={option} value={option}>
            {assertionFaultNames[option]}
          </option>
        ))}
      </Select>
      <p className="mt-1 text-xs leading-5 text-zinc-600" data-testid="assertion-fault-detail">
        Sends an assertion with {assertionFaultLabels[fault]}.
      </p>
      <Button size="sm" className="mt-2 w-full" disabled={pending} onClick={() => onSend(fault)} data-testid="send-faulty-assertion">
        Send it
      </Button>
    </Disclosure>
  );
}
